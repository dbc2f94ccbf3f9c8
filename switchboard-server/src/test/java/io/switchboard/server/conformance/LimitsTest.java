package io.switchboard.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.server.ServerConfig;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.server.chat.ChatEndpoint;
import io.switchboard.testkit.ClientDeflate;
import io.switchboard.testkit.Frame;
import io.switchboard.testkit.HttpResponse;
import io.switchboard.testkit.RawHttp;
import io.switchboard.testkit.RawWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bad-input table on a real server: each row is what a client does wrong and what it sees
 * come back. Rows tested elsewhere: a slow consumer past its grace period
 * ({@code websocket.BackpressureTest}), a missed pong ({@code websocket.HeartbeatTest}), bad
 * handshakes ({@link HandshakeTest}), protocol violations ({@link AutobahnConformanceTest}).
 */
class LimitsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int MAX_MESSAGE = 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private SwitchboardServer server;

    private SwitchboardServer start(ServerConfig config) {
        server = SwitchboardServer.start(config.host("127.0.0.1").port(0).demo(false));
        return server;
    }

    private SwitchboardServer startWithSmallLimit() {
        return start(new ServerConfig().maxMessageSize(MAX_MESSAGE).maxEchoMessageSize(MAX_MESSAGE));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + server.port() + path);
    }

    /** Reads frames until the server's close frame, asserts it closes TCP after it, and returns the close frame. */
    private static Frame closeFrom(RawWebSocket ws) throws Exception {
        while (true) {
            Frame frame = ws.readFrame(WAIT);
            assertThat(frame).as("a close frame within %s", WAIT).isNotNull();
            if (frame.opcode() == Frame.CLOSE) {
                assertThat(ws.awaitTcpClose(WAIT)).as("TCP closed after the close frame").isTrue();
                return frame;
            }
        }
    }

    /** Asserts the server fails the connection with {@code code} and a reason containing {@code reasonPart}. */
    private static void assertClosesWith(RawWebSocket ws, int code, String reasonPart) throws Exception {
        Frame close = closeFrom(ws);
        assertThat(close.closeCode()).isEqualTo(code);
        assertThat(new String(close.closeReason(), StandardCharsets.UTF_8)).contains(reasonPart);
    }

    private static JsonNode json(Frame frame) throws IOException {
        assertThat(frame).as("a text frame within %s", WAIT).isNotNull();
        assertThat(frame.opcode()).isEqualTo(Frame.TEXT);
        return JSON.readTree(frame.text());
    }

    // ---- 1009: message too big -----------------------------------------------------------------

    @Test
    void echoesAMessageAtTheLimitAndClosesWith1009OneByteOverIt() throws Exception {
        startWithSmallLimit();
        try (RawWebSocket ws = RawWebSocket.connect(uri("/echo"))) {
            byte[] atLimit = new byte[MAX_MESSAGE];
            ws.send(Frame.binary(atLimit));
            assertThat(ws.readFrame(WAIT).payload()).isEqualTo(atLimit);

            ws.send(Frame.binary(new byte[MAX_MESSAGE + 1]));
            assertClosesWith(ws, 1009, "exceeds " + MAX_MESSAGE);
        }
    }

    @Test
    void closesWith1009AsSoonAsAFrameHeaderAnnouncesMoreThanTheLimit() throws Exception {
        startWithSmallLimit();
        try (RawWebSocket ws = RawWebSocket.connect(uri("/echo"))) {
            // Only the header: the server must not wait for (or buffer) the 16 MiB it announces.
            ws.send(Frame.header(true, 0, Frame.TEXT, true, 16 << 20, 0x11223344));
            assertClosesWith(ws, 1009, "exceeds " + MAX_MESSAGE);
        }
    }

    @Test
    void closesWith1009WhenFragmentsAddUpToMoreThanTheLimit() throws Exception {
        startWithSmallLimit();
        try (RawWebSocket ws = RawWebSocket.connect(uri("/echo"))) {
            byte[] part = "x".repeat(400).getBytes(StandardCharsets.US_ASCII);
            ws.send(Frame.of(Frame.TEXT, part).withFin(false));
            ws.send(Frame.of(Frame.CONTINUATION, part).withFin(false));
            ws.send(Frame.of(Frame.CONTINUATION, part));
            assertClosesWith(ws, 1009, "exceeds " + MAX_MESSAGE);
        }
    }

    @Test
    void closesWith1009WhenACompressedMessageInflatesPastTheLimit() throws Exception {
        startWithSmallLimit();
        String offer = ClientDeflate.offer(false, false, false, 0);
        try (RawWebSocket ws = RawWebSocket.connect(uri("/echo"), Map.of("Sec-WebSocket-Extensions", offer), WAIT)) {
            ClientDeflate deflate = ClientDeflate.accept(offer, ws.handshakeResponse().header("Sec-WebSocket-Extensions").orElse(null));
            assertThat(deflate).as("permessage-deflate negotiated").isNotNull();
            // 512 KiB of zeros is about half a kilobyte compressed: under the limit on the wire, far over it inflated.
            byte[] bomb = deflate.compress(new byte[512 << 10]);
            assertThat(bomb.length).isLessThan(MAX_MESSAGE);
            ws.send(Frame.of(Frame.BINARY, bomb).withRsv(4));
            assertClosesWith(ws, 1009, "inflated");
        }
    }

    // ---- connections that never upgrade --------------------------------------------------------

    @Test
    void closesAConnectionThatSendsNothingWithinTheHandshakeTimeout() throws Exception {
        start(new ServerConfig().handshakeTimeout(Duration.ofMillis(300)));
        try (Socket socket = connect()) {
            assertThat(socket.getInputStream().read()).as("the server closed the connection").isEqualTo(-1);
        }
    }

    @Test
    void closesAConnectionThatNeverFinishesItsHandshakeWithinTheTimeout() throws Exception {
        start(new ServerConfig().handshakeTimeout(Duration.ofMillis(300)));
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The head never ends (no blank line): the server gives up on it.
            assertThat(socket.getInputStream().read()).as("the server closed the connection").isEqualTo(-1);
        }
    }

    @Test
    void closesAKeptAliveConnectionThatSendsNoNextRequestWithinTheTimeout() throws Exception {
        start(new ServerConfig().handshakeTimeout(Duration.ofMillis(300)));
        try (Socket socket = connect()) {
            HttpResponse answer = RawHttp.exchange(socket, "GET /nowhere HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(answer.status()).isEqualTo(404);
            assertThat(socket.getInputStream().read()).as("the idle kept-alive connection is closed").isEqualTo(-1);
        }
    }

    @Test
    void keepsTheConnectionOfALongPollWaitingLongerThanTheTimeout() throws Exception {
        start(new ServerConfig().handshakeTimeout(Duration.ofMillis(300)));
        try (Socket socket = connect()) {
            // A one-second poll that nothing answers early: the connection is busy, not idle, while it waits.
            HttpResponse answer = RawHttp.exchange(socket, "GET /poll?channel=quiet&wait=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertThat(answer.status()).isEqualTo(200);
            assertThat(socket.getInputStream().read()).as("then, idle, it is closed").isEqualTo(-1);
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
        socket.setSoTimeout((int) WAIT.toMillis());
        return socket;
    }

    // ---- /chat ---------------------------------------------------------------------------------

    @Test
    void chatAnswersInvalidJsonWithAnErrorAndKeepsTheConnectionOpen() throws Exception {
        start(new ServerConfig());
        try (RawWebSocket alice = RawWebSocket.connect(uri("/chat")); RawWebSocket bob = RawWebSocket.connect(uri("/chat"))) {
            assertThat(json(alice.readFrame(WAIT)).path("type").asText()).isEqualTo("welcome");
            assertThat(json(bob.readFrame(WAIT)).path("type").asText()).isEqualTo("welcome");

            alice.send(Frame.text("{not json"));
            JsonNode error = json(alice.readFrame(WAIT));
            assertThat(error.path("type").asText()).isEqualTo("error");
            assertThat(error.path("message").asText()).contains("invalid JSON");

            // Still open: the next valid chat is broadcast to everyone, Alice included, and Bob never saw the error.
            alice.send(Frame.text("{\"type\":\"chat\",\"username\":\"Alice\",\"message\":\"still here\"}"));
            for (RawWebSocket ws : new RawWebSocket[] {bob, alice}) {
                JsonNode chat = json(ws.readFrame(WAIT));
                assertThat(chat.path("type").asText()).isEqualTo("chat");
                assertThat(chat.path("from").asText()).isEqualTo("Alice");
                assertThat(chat.path("message").asText()).isEqualTo("still here");
                assertThat(chat.path("timestamp").isNumber()).isTrue();
            }
        }
    }

    @Test
    void chatAnswersAnUnknownTypeWithAnErrorAndKeepsTheConnectionOpen() throws Exception {
        start(new ServerConfig());
        try (RawWebSocket ws = RawWebSocket.connect(uri("/chat"))) {
            assertThat(json(ws.readFrame(WAIT)).path("type").asText()).isEqualTo("welcome");
            ws.send(Frame.text("{\"type\":\"dance\"}"));
            JsonNode error = json(ws.readFrame(WAIT));
            assertThat(error.path("type").asText()).isEqualTo("error");
            assertThat(error.path("message").asText()).contains("dance");

            ws.send(Frame.text("{\"type\":\"chat\",\"username\":\"Rakibul\",\"message\":\"hi\"}"));
            assertThat(json(ws.readFrame(WAIT)).path("message").asText()).isEqualTo("hi");
        }
    }

    @Test
    void chatClosesWith1003OnABinaryFrame() throws Exception {
        start(new ServerConfig());
        try (RawWebSocket ws = RawWebSocket.connect(uri("/chat"))) {
            assertThat(json(ws.readFrame(WAIT)).path("type").asText()).isEqualTo("welcome");
            ws.send(Frame.binary(new byte[] {1, 2, 3}));
            Frame close = ws.readFrame(WAIT);
            assertThat(close.opcode()).isEqualTo(Frame.CLOSE);
            assertThat(close.closeCode()).isEqualTo(1003);
            assertThat(new String(close.closeReason(), StandardCharsets.UTF_8)).contains("binary");
            // The server started this close: it waits for our answer, then closes TCP.
            ws.send(Frame.close(1003, ""));
            assertThat(ws.awaitTcpClose(WAIT)).isTrue();
        }
    }

    // ---- slow consumers: memory stays bounded --------------------------------------------------

    @Test
    void aStalledChatSubscriberIsCutOffAtItsHardLimitLongBeforeEverythingPublishedQueuesUp() throws Exception {
        int highWater = 64 * 1024;
        // A grace period longer than the test: only the hard limit can end this consumer.
        start(new ServerConfig().writeBufferHighWater(highWater).writeBufferLowWater(highWater / 2)
                .slowConsumerGrace(Duration.ofMinutes(5)));
        try (Socket stalled = new Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress("127.0.0.1", server.port()));
            stalled.setSoTimeout((int) WAIT.toMillis());
            InputStream in = RawHttp.upgrade(stalled, "/chat");
            // Its welcome says it is subscribed (a welcome frame is 2 header bytes and a short JSON text).
            byte[] header = in.readNBytes(2);
            assertThat(new String(in.readNBytes(header[1]), StandardCharsets.UTF_8)).contains("welcome");

            String big = "{\"type\":\"chat\",\"message\":\"" + "x".repeat(32 * 1024) + "\"}";
            int published = 800; // about 26 MB
            for (int i = 0; i < published; i++) {
                server.hub().publish(ChatEndpoint.CHANNEL, big, null).toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            // It reads nothing, yet the server lets go of it: its queue passed the hard limit.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (server.webSocketCount() > 0) {
                assertThat(System.nanoTime()).as("the stalled subscriber is disconnected").isLessThan(deadline);
                Thread.sleep(20);
            }
            // What was queued for it is bounded by that limit and the sockets' buffers, not by what was published.
            long bytes = new WireReader(in).readToEnd();
            assertThat(bytes).as("bytes queued for the stalled consumer").isLessThan((long) published * big.length() / 4);
        }
    }

    @Test
    void aClientThatFloodsEchoWithoutReadingIsNotReadFromAnyFurther() throws Exception {
        int highWater = 64 * 1024;
        start(new ServerConfig().writeBufferHighWater(highWater).writeBufferLowWater(highWater / 2)
                .slowConsumerGrace(Duration.ofMillis(200)));
        long limit = 512L << 20;
        try (Socket flooder = new Socket()) {
            flooder.setReceiveBufferSize(4096);
            flooder.connect(new InetSocketAddress("127.0.0.1", server.port()));
            RawHttp.upgrade(flooder, "/echo");
            byte[] frame = Frame.binary(new byte[1 << 20]).encode();
            // It writes and never reads its echoes. The server stops reading once its replies back up,
            // so the flooder's writes stall; after the grace period the server drops it.
            CompletableFuture<Long> written = CompletableFuture.supplyAsync(() -> {
                long n = 0;
                try {
                    OutputStream out = flooder.getOutputStream();
                    while (n < limit) {
                        out.write(frame);
                        n += frame.length;
                    }
                } catch (IOException dropped) {
                    // the server closed the connection
                }
                return n;
            });
            long n = written.get(60, TimeUnit.SECONDS);
            assertThat(n).as("bytes the server accepted from a client that never read").isLessThan(limit / 4);
        }
    }

    /** Reads server frames off a bare socket until it closes, counting their bytes. */
    private static final class WireReader {
        private final java.io.DataInputStream in;

        WireReader(InputStream in) {
            this.in = new java.io.DataInputStream(new java.io.BufferedInputStream(in));
        }

        long readToEnd() throws IOException {
            long total = 0;
            try {
                while (true) {
                    int b0 = in.read();
                    if (b0 < 0) {
                        return total;
                    }
                    int b1 = in.readUnsignedByte();
                    long len = b1 & 0x7F;
                    len = len == 126 ? in.readUnsignedShort() : len == 127 ? in.readLong() : len;
                    in.skipNBytes(len);
                    total += 2 + len;
                }
            } catch (java.io.EOFException | java.net.SocketException cut) {
                return total; // dropped mid-frame or reset: the stream ends there too
            }
        }
    }
}
