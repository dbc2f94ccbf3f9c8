package io.switchboard.client;

import io.switchboard.server.ServerConfig;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.testkit.ExampleComCertificate;
import io.switchboard.websocket.Handshake;
import io.switchboard.websocket.ReadyState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientWebSocketTest {

    @RegisterExtension
    static final LocalServer local = new LocalServer();



    static URI ws(String path) {
        return local.uri("ws", path);
    }

    @Test
    void readyStateGoesOpenClosingClosedAndEchoesText() throws Exception {
        Recorder events = new Recorder();
        ClientWebSocket socket = local.client().connect(ws("/echo"), events);

        assertThat(events.next()).isEqualTo("open OPEN");
        assertThat(socket.readyState()).isEqualTo(ReadyState.OPEN);
        socket.send("hello, switchboard");
        assertThat(events.next()).isEqualTo("text hello, switchboard");

        socket.close(1000, "done");
        assertThat(socket.readyState()).isIn(ReadyState.CLOSING, ReadyState.CLOSED);
        // The server's close reply echoes our code and reason, so both ends report the same close.
        assertThat(events.next()).isEqualTo("closing 1000 done CLOSING");
        assertThat(events.next()).isEqualTo("closed 1000 done CLOSED");
        assertThat(socket.readyState()).isEqualTo(ReadyState.CLOSED);
    }

    @Test
    void echoesBinaryFromArraysAndBuffers() throws Exception {
        Recorder events = new Recorder();
        ClientWebSocket socket = local.client().connect(ws("/echo"), events);
        assertThat(events.next()).isEqualTo("open OPEN");

        socket.send("from an array".getBytes(StandardCharsets.UTF_8));
        ByteBuffer buffer = ByteBuffer.wrap("xx from a buffer".getBytes(StandardCharsets.UTF_8));
        buffer.position(3);
        socket.send(buffer);
        socket.send("x".repeat(70_000)); // a 64-bit length header, masked

        assertThat(events.next()).isEqualTo("binary from an array");
        assertThat(events.next()).isEqualTo("binary from a buffer");
        assertThat(events.next()).isEqualTo("text " + "x".repeat(70_000));
        socket.close(1000, "");
        assertThat(events.nextStartingWith("closed")).isEqualTo("closed 1000  CLOSED");
    }

    @Test
    void sendingWhenNotOpenThrows() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Recorder events = new Recorder();
            ClientWebSocket socket = local.client().connect(LocalServer.uri("ws", silent.getLocalPort(), "/"), events);
            assertThat(socket.readyState()).isEqualTo(ReadyState.CONNECTING);
            assertThatThrownBy(() -> socket.send("too early")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("CONNECTING");

            socket.close(1000, "never mind");
            assertThat(events.next()).isEqualTo("failure IOException");
            assertThat(events.next()).isEqualTo("closed 1006  CLOSED");
            assertThatThrownBy(() -> socket.send(new byte[] {1})).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("CLOSED");
        }
    }

    @Test
    void clientCloseCodeComesBackFromTheServer() throws Exception {
        Recorder events = new Recorder();
        ClientWebSocket socket = local.client().connect(ws("/echo"), events);
        assertThat(events.next()).isEqualTo("open OPEN");

        socket.close(4001, "going to lunch");

        assertThat(events.next()).startsWith("closing 4001 ");
        assertThat(events.next()).startsWith("closed 4001 ").endsWith(" CLOSED");
        assertThatThrownBy(() -> socket.send("late")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void serverCloseCodeAndReasonReachTheListener() throws Exception {
        Recorder events = new Recorder();
        ClientWebSocket socket = local.client().connect(ws("/chat"), events);
        assertThat(events.next()).isEqualTo("open OPEN");
        assertThat(events.next()).startsWith("text {\"type\":\"welcome\"");

        socket.send(new byte[] {1, 2, 3}); // /chat accepts text only: 1003

        String closing = events.nextStartingWith("closing");
        assertThat(closing).startsWith("closing 1003 ").endsWith(" CLOSING");
        String reason = closing.substring("closing 1003 ".length(), closing.length() - " CLOSING".length());
        assertThat(reason).isNotEmpty();
        assertThat(events.next()).isEqualTo("closed 1003 " + reason + " CLOSED");
    }

    @Test
    void droppedTcpClosesWith1006() throws Exception {
        try (Relay relay = new Relay(local.server().port())) {
            Recorder events = new Recorder();
            ClientWebSocket socket = local.client().connect(LocalServer.uri("ws", relay.port(), "/echo"), events);
            assertThat(events.next()).isEqualTo("open OPEN");

            relay.cut();

            assertThat(events.nextStartingWith("closed")).isEqualTo("closed 1006  CLOSED");
            assertThat(socket.readyState()).isEqualTo(ReadyState.CLOSED);
        }
    }

    @Test
    void refusedHandshakeFailsWithTheHttpStatus() throws Exception {
        Recorder events = new Recorder();
        ClientWebSocket socket = local.client().connect(ws("/no-such-endpoint"), events);

        assertThat(events.next()).isEqualTo("failure WebSocketHandshakeException");
        assertThat(events.next()).isEqualTo("closed 1006  CLOSED");
        WebSocketHandshakeException refused = (WebSocketHandshakeException) events.failures().get(0);
        assertThat(refused.status()).isEqualTo(404);
        assertThat(refused.getMessage()).contains("\"error\"");
        assertThat(socket.readyState()).isEqualTo(ReadyState.CLOSED);
    }

    @Test
    void wrongAcceptKeyFailsTheHandshake() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<String> request = CompletableFuture.supplyAsync(() -> answerOnce(fake, false));
            Recorder events = new Recorder();
            local.client().connect(LocalServer.uri("ws", fake.getLocalPort(), "/chat?room=1"), events);

            assertThat(events.next()).isEqualTo("failure WebSocketHandshakeException");
            assertThat(events.next()).isEqualTo("closed 1006  CLOSED");
            assertThat(((WebSocketHandshakeException) events.failures().get(0)).status()).isEqualTo(101);
            assertThat(events.failures().get(0)).hasMessageContaining("Sec-WebSocket-Accept");
            assertThat(request.get(10, TimeUnit.SECONDS))
                    .startsWith("GET /chat?room=1 HTTP/1.1")
                    .containsIgnoringCase("upgrade: websocket")
                    .containsIgnoringCase("sec-websocket-version: 13")
                    .containsIgnoringCase("host: 127.0.0.1:" + fake.getLocalPort());
        }
    }

    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    /**
     * A server that reads one upgrade request, answers 101 (with the right accept value for its
     * key, or one for another key), then reads and ignores everything until the client hangs up.
     */
    private static String answerOnce(ServerSocket fake, boolean rightAccept) {
        try (Socket socket = fake.accept()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            StringBuilder request = new StringBuilder();
            String key = null;
            for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
                request.append(line).append('\n');
                if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
                    key = line.substring(line.indexOf(':') + 1).trim();
                }
            }
            String accept = Handshake.acceptKey(rightAccept ? key : Handshake.newClientKey());
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            while (in.read() >= 0) {
                // a silent peer: pings go unanswered
            }
            return request.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aServerThatStopsAnsweringPingsIsDroppedWith1006() throws Exception {
        try (ServerSocket fake = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             SwitchboardClient pinging = new SwitchboardClient(new ClientConfig()
                     .pingInterval(Duration.ofMillis(50)).header("Authorization", "Bearer secret"))) {
            CompletableFuture<String> request = CompletableFuture.supplyAsync(() -> answerOnce(fake, true));
            Recorder events = new Recorder();
            ClientWebSocket socket = pinging.connect(LocalServer.uri("ws", fake.getLocalPort(), "/"), events);
            assertThat(events.next()).isEqualTo("open OPEN");

            assertThat(events.next()).isEqualTo("closed 1006  CLOSED");
            assertThat(socket.readyState()).isEqualTo(ReadyState.CLOSED);
            assertThat(request.get(10, TimeUnit.SECONDS)).contains("Authorization: Bearer secret");
        }
    }

    @Test
    void aMessageOverTheLimitClosesWith1009() throws Exception {
        try (SwitchboardClient small = new SwitchboardClient(new ClientConfig().maxMessageSize(1000))) {
            Recorder events = new Recorder();
            ClientWebSocket socket = small.connect(ws("/echo"), events);
            assertThat(events.next()).isEqualTo("open OPEN");
            socket.send("y".repeat(1000));
            assertThat(events.next()).isEqualTo("text " + "y".repeat(1000));

            socket.send("z".repeat(1001));

            assertThat(events.nextStartingWith("closed")).startsWith("closed 1009 ").endsWith(" CLOSED");
        }
    }

    @Test
    void wssWorksWithATrustedSelfSignedCertificate(@TempDir Path dir) throws Exception {
        ExampleComCertificate certificate = ExampleComCertificate.generate(dir);
        try (SwitchboardServer tls = SwitchboardServer.start(new ServerConfig().host("127.0.0.1").port(0).demo(false)
                .tls(certificate.certPem, certificate.keyPem));
             SwitchboardClient trusting = new SwitchboardClient(new ClientConfig().trustedCertificates(certificate.certPem))) {
            URI uri = URI.create("wss://localhost:" + tls.port() + "/echo");
            Recorder events = new Recorder();
            ClientWebSocket socket = trusting.connect(uri, events);
            assertThat(events.next()).isEqualTo("open OPEN");
            socket.send("over TLS");
            assertThat(events.next()).isEqualTo("text over TLS");
            socket.close(1000, "");
            assertThat(events.nextStartingWith("closed")).isEqualTo("closed 1000  CLOSED");

            Recorder untrusted = new Recorder();
            local.client().connect(uri, untrusted);
            assertThat(untrusted.next()).startsWith("failure");
            assertThat(untrusted.next()).isEqualTo("closed 1006  CLOSED");
            assertThat(causes(untrusted.failures().get(0))).hasAtLeastOneElementOfType(SSLHandshakeException.class);
        }
    }
}
