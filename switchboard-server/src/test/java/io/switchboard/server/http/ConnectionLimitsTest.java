package io.switchboard.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.server.ServerConfig;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.testkit.RawWebSocket;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** No client and no flood can take every connection: over a cap, the first request is refused and the connection closed. */
class ConnectionLimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Opens a connection from {@code local}, sends one GET, and reads the whole answer until the server closes. */
    private static String requestFrom(InetAddress local, int port) throws Exception {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(local, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /switchboard.js HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            for (int n; (n = in.read(buffer)) > 0; ) {
                answer.write(buffer, 0, n);
                String text = answer.toString(StandardCharsets.UTF_8);
                if (text.startsWith("HTTP/1.1 200")) {
                    return text; // kept alive: the test needs only the status
                }
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Test
    @SuppressWarnings("try") // the held connection only has to stay open inside the try, not be used
    void aConnectionOverTheServersCapIsAnswered503AndClosedAndThePlaceFreesWhenOneLeaves() throws Exception {
        try (SwitchboardServer server = SwitchboardServer.start(new ServerConfig().host("127.0.0.1").port(0).demo(false).maxConnections(2))) {
            URI echo = URI.create("ws://127.0.0.1:" + server.port() + "/echo");
            RawWebSocket first = RawWebSocket.connect(echo);
            try (RawWebSocket second = RawWebSocket.connect(echo)) {
                String refused = requestFrom(InetAddress.getLoopbackAddress(), server.port());
                assertThat(refused).startsWith("HTTP/1.1 503").contains("connection: close");
                assertThat(JSON.readTree(body(refused)).path("error").path("code").asText()).isEqualTo("server_full");
                assertThat(second.isTcpClosed()).as("the connections within the cap stay open").isFalse();

                first.close();
                Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
                String answer;
                do {
                    answer = requestFrom(InetAddress.getLoopbackAddress(), server.port());
                } while (!answer.startsWith("HTTP/1.1 200") && Instant.now().isBefore(deadline));
                assertThat(answer).as("a freed place is taken again").startsWith("HTTP/1.1 200");
            }
        }
    }

    @Test
    @SuppressWarnings("try") // the held connection only has to stay open inside the try, not be used
    void aConnectionOverThePerAddressCapIsAnswered429WhileOtherAddressesAreServed() throws Exception {
        try (SwitchboardServer server = SwitchboardServer.start(new ServerConfig().host("127.0.0.1").port(0).demo(false)
                .maxConnectionsPerAddress(1))) {
            try (RawWebSocket held = RawWebSocket.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"))) {
                String refused = requestFrom(InetAddress.getByName("127.0.0.1"), server.port());
                assertThat(refused).startsWith("HTTP/1.1 429");
                assertThat(JSON.readTree(body(refused)).path("error").path("code").asText()).isEqualTo("too_many_connections");
                assertThat(held.isTcpClosed()).as("the connection within the cap stays open").isFalse();

                assertThat(requestFrom(InetAddress.getByName("127.0.0.2"), server.port())).startsWith("HTTP/1.1 200");
            }
        }
    }

    @Test
    void theDefaultCapStaysBelowTheOpenFilesLimit() {
        ConnectionLimits limits = new ConnectionLimits(0, 0, () -> 0);
        assertThat(limits.max()).isPositive();
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            assertThat((long) limits.max()).isEqualTo(unix.getMaxFileDescriptorCount() - ConnectionLimits.RESERVED_DESCRIPTORS);
        }
    }
}
