package io.switchboard.server.websocket;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.server.ServerConfig;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.testkit.HttpResponse;
import io.switchboard.testkit.RawHttp;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The handshake checks {@code Origin} before it upgrades: a page on another site cannot open a WebSocket. */
class OriginCheckTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static HttpResponse handshake(SwitchboardServer server, String host, String origin) throws Exception {
        String request = "GET /chat HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
        return RawHttp.exchange("127.0.0.1", server.port(), request, Duration.ofSeconds(10));
    }

    @Test
    void upgradesClientsWithoutOriginAndPagesOfTheServersOwnOrigin() throws Exception {
        try (SwitchboardServer server = SwitchboardServer.start(new ServerConfig().host("127.0.0.1").port(0).demo(false))) {
            String host = "127.0.0.1:" + server.port();
            assertThat(handshake(server, host, null).status()).isEqualTo(101);
            assertThat(handshake(server, host, "http://" + host).status()).isEqualTo(101);
            assertThat(handshake(server, "localhost:" + server.port(), "http://localhost:" + server.port()).status()).isEqualTo(101);
        }
    }

    @Test
    void refusesAnotherOriginWith403AndAJsonErrorBeforeAnyUpgrade() throws Exception {
        try (SwitchboardServer server = SwitchboardServer.start(new ServerConfig().host("127.0.0.1").port(0).demo(false))) {
            for (String origin : List.of("https://evil.example", "null", "http://127.0.0.1:1")) {
                HttpResponse response = handshake(server, "127.0.0.1:" + server.port(), origin);
                assertThat(response.status()).as(origin).isEqualTo(403);
                assertThat(response.header("Sec-WebSocket-Accept")).isEmpty();
                assertThat(JSON.readTree(response.bodyText()).path("error").path("code").asText()).isEqualTo("origin_not_allowed");
            }
        }
    }

    @Test
    void allowedOriginsOpenTheHandshakeToOtherSites() throws Exception {
        try (SwitchboardServer server = SwitchboardServer.start(new ServerConfig().host("127.0.0.1").port(0).demo(false)
                .allowedOrigins(List.of("https://app.example.com")))) {
            assertThat(handshake(server, "127.0.0.1:" + server.port(), "https://app.example.com").status()).isEqualTo(101);
            assertThat(handshake(server, "127.0.0.1:" + server.port(), "https://evil.example").status()).isEqualTo(403);
        }
    }
}
