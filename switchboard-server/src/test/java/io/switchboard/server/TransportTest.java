package io.switchboard.server;

import io.netty.channel.epoll.Epoll;
import io.switchboard.testkit.Frame;
import io.switchboard.testkit.RawHttp;
import io.switchboard.testkit.RawWebSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server works the same over every transport an operator can choose (this Linux host has them all). */
class TransportTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "IO_URING", "NIO"})
    void servesHttpAndEchoesWebSocketMessagesOver(Transport transport) throws Exception {
        try (TestServer server = new TestServer(TestServer.config().transport(transport))) {
            assertThat(server.server().transport()).isEqualTo(transport);
            assertThat(server.get("/").statusCode()).isEqualTo(200);

            try (RawWebSocket ws = RawWebSocket.connect(URI.create("ws://127.0.0.1:" + server.server().port() + "/echo"))) {
                byte[] large = new byte[70_000];
                Arrays.fill(large, (byte) 'x');
                ws.send(Frame.text("small"));
                ws.send(Frame.text(large));
                ws.send(Frame.close(1000, "done"));

                assertThat(ws.readFrame(WAIT).text()).isEqualTo("small");
                Frame echoed = ws.readFrame(WAIT);
                assertThat(echoed.payload()).isEqualTo(large);
                Frame close = ws.readFrame(WAIT);
                assertThat(close.opcode()).isEqualTo(Frame.CLOSE);
                assertThat(close.closeCode()).isEqualTo(1000);
                assertThat(ws.awaitTcpClose(WAIT)).isTrue();
            }
        }
    }

    /**
     * The server leaves TCP_NODELAY to Netty; this asks the kernel about the server's end of a real
     * accepted connection (found through /proc by its ports), whichever transport accepted it.
     */
    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "IO_URING", "NIO"})
    void theServersAcceptedSocketsSendSmallFramesWithoutNagleDelayOver(Transport transport) throws Exception {
        Epoll.ensureAvailability(); // loads the native library that reads socket options by descriptor
        try (TestServer server = new TestServer(TestServer.config().transport(transport));
             Socket client = new Socket()) {
            client.setTcpNoDelay(false);
            client.setSoTimeout((int) WAIT.toMillis());
            client.connect(new InetSocketAddress("127.0.0.1", server.server().port()));
            DataInputStream in = new DataInputStream(RawHttp.upgrade(client, "/echo"));
            client.getOutputStream().write(Frame.text("small").encode());
            assertThat(in.readUnsignedShort()).as("the echo's header: a final text frame of 5 bytes").isEqualTo(0x8105);

            int serverEnd = descriptorOf(server.server().port(), client.getLocalPort());
            int clientEnd = descriptorOf(client.getLocalPort(), server.server().port());
            assertThat(new io.netty.channel.unix.Socket(serverEnd).isTcpNoDelay())
                    .as("TCP_NODELAY on the server's end, accepted over %s", transport).isTrue();
            assertThat(new io.netty.channel.unix.Socket(clientEnd).isTcpNoDelay())
                    .as("the same check on the client's end, where Nagle is on").isFalse();
        }
    }

    /** This process's file descriptor of the established loopback TCP connection from {@code localPort} to {@code remotePort}. */
    private static int descriptorOf(int localPort, int remotePort) throws IOException {
        String socket = null;
        // IPv4 sockets are listed in tcp, dual-stack ones in tcp6 (127.0.0.1 as ::ffff:127.0.0.1): both end in 0100007F.
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] fields = line.trim().split("\\s+");
                if (fields[1].endsWith(String.format("0100007F:%04X", localPort)) && fields[2].endsWith(String.format("0100007F:%04X", remotePort))
                        && fields[3].equals("01")) {
                    socket = "socket:[" + fields[9] + "]";
                }
            }
        }
        assertThat(socket).as("a connection 127.0.0.1:%d -> 127.0.0.1:%d in /proc/net/tcp or tcp6", localPort, remotePort).isNotNull();
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path descriptor : descriptors) {
                try {
                    if (Files.readSymbolicLink(descriptor).toString().equals(socket)) {
                        return Integer.parseInt(descriptor.getFileName().toString());
                    }
                } catch (IOException closedMeanwhile) {
                    // another thread's descriptor went away while listing
                }
            }
        }
        throw new AssertionError("no descriptor of this process is " + socket);
    }

    @Test
    void autoTakesEpollOnLinux() {
        assertThat(Transport.AUTO.resolve()).isEqualTo(Transport.EPOLL);
    }

    @Test
    void parsesOperatorSpellingsAndRejectsUnknownOnes() {
        assertThat(Transport.parse("io-uring")).isEqualTo(Transport.IO_URING);
        assertThat(Transport.parse("EPOLL")).isEqualTo(Transport.EPOLL);
        assertThatThrownBy(() -> Transport.parse("kqueue"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown transport 'kqueue'")
                .hasMessageContaining("auto, io_uring, epoll or nio");
    }
}
