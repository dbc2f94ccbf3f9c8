package io.switchboard.bench.peer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.testkit.RawWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every peer must do to stand beside Switchboard in a benchmark: start as its own process,
 * upgrade ws /echo and ws /chat with 101, echo text and binary, and run the lesson's chat.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PeerContract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long TIMEOUT_SECONDS = 10;

    private final HttpClient http = HttpClient.newHttpClient();
    private Peer peer;
    private int port;

    /** A new, not yet started peer under test. */
    abstract Peer newPeer();

    @BeforeAll
    void startPeer() throws Exception {
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        peer = newPeer();
        peer.start(port);
    }

    @AfterAll
    void stopPeer() {
        if (peer != null) {
            peer.close();
        }
    }

    @Test
    void answersTheUpgradeOfBothPathsWith101() throws Exception {
        for (String path : new String[] {"/echo", "/chat"}) {
            try (RawWebSocket ws = RawWebSocket.connect(uri(path))) {
                assertThat(ws.handshakeResponse().status()).as(path).isEqualTo(101);
                assertThat(ws.handshakeResponse().headerHasToken("Upgrade", "websocket")).as(path).isTrue();
            }
        }
        assertThat(peer.pid()).isPositive();
    }

    @Test
    void echoesTextAndBinaryMessages() throws Exception {
        Client client = Client.connect(http, uri("/echo"));
        client.ws.sendText("hello, échō", true).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(client.nextText()).isEqualTo("hello, échō");

        byte[] bytes = new byte[16 * 1024];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        client.ws.sendBinary(ByteBuffer.wrap(bytes), true).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(client.nextBinary()).isEqualTo(bytes);
        client.ws.abort();
    }

    @Test
    void chatWelcomesAndBroadcastsToEveryClient() throws Exception {
        Client alice = Client.connect(http, uri("/chat"));
        Client bob = Client.connect(http, uri("/chat"));
        for (Client client : new Client[] {alice, bob}) {
            JsonNode welcome = JSON.readTree(client.nextText());
            assertThat(welcome.path("type").asText()).isEqualTo("welcome");
            assertThat(welcome.path("message").asText()).isEqualTo("Connected!");
        }

        alice.ws.sendText("{\"type\":\"chat\",\"username\":\"alice\",\"message\":\"hi all\"}", true)
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);

        for (Client client : new Client[] {alice, bob}) {
            JsonNode chat = JSON.readTree(client.nextText());
            assertThat(chat.path("type").asText()).isEqualTo("chat");
            assertThat(chat.path("from").asText()).isEqualTo("alice");
            assertThat(chat.path("message").asText()).isEqualTo("hi all");
            assertThat(chat.path("timestamp").isNumber()).as("timestamp in %s", chat).isTrue();
        }
        alice.ws.abort();
        bob.ws.abort();
    }

    private URI uri(String path) {
        return URI.create("ws://127.0.0.1:" + port + path);
    }

    /** A JDK WebSocket client that queues every complete message it receives. */
    static final class Client implements WebSocket.Listener {
        final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
        WebSocket ws;

        static Client connect(HttpClient http, URI uri) throws Exception {
            Client client = new Client();
            client.ws = http.newWebSocketBuilder().buildAsync(uri, client).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return client;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                messages.add(text.toString());
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            binary.writeBytes(bytes);
            if (last) {
                messages.add(binary.toByteArray());
                binary.reset();
            }
            webSocket.request(1);
            return null;
        }

        String nextText() throws InterruptedException {
            Object message = messages.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(message).as("a text message within %d s", TIMEOUT_SECONDS).isInstanceOf(String.class);
            return (String) message;
        }

        byte[] nextBinary() throws InterruptedException {
            Object message = messages.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            assertThat(message).as("a binary message within %d s", TIMEOUT_SECONDS).isInstanceOf(byte[].class);
            return (byte[]) message;
        }
    }
}
