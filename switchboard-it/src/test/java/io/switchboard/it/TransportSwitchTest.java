package io.switchboard.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.server.SwitchboardServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.switchboard.it.ExternalClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One client, one channel, three transports in turn — WebSocket ({@code /ws} subscribe with
 * {@code since}), SSE ({@code /sse?since=}), long polling ({@code /poll?since=}) — over and over,
 * each resuming from the cursor the previous one ended on, while a backend keeps publishing and
 * the client itself publishes while it is between transports. The offsets it sees must run 1..N
 * with no gap and no repeat, each with the data published at that offset.
 */
class TransportSwitchTest {

    static final String CHANNEL = "feed";
    /** What the concurrent backend publishes; the switches add one each. */
    static final int BACKEND_PUBLICATIONS = 300;
    static final int SWITCH_PUBLICATIONS = 12;
    static final int TOTAL = BACKEND_PUBLICATIONS + SWITCH_PUBLICATIONS;

    enum Transport { WEBSOCKET, SSE, LONG_POLL }

    SwitchboardServer server;
    Backend backend;
    /** Data published at each offset, as the publish API reported it; guarded by itself. */
    final Map<Long, JsonNode> publishedAt = new HashMap<>();
    final List<Long> seen = new ArrayList<>();
    final List<Transport> used = new ArrayList<>();
    String epoch;
    String cursor;

    @BeforeEach
    void start() {
        server = SwitchboardServer.start(TestServers.loopback());
        backend = new Backend("http://127.0.0.1:" + server.port());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void offsetsStayContinuousAsTheClientSwitchesWebSocketSseLongPollWithItsCursor() throws Exception {
        // The first subscription has no cursor: its reply gives the channel's position to start from.
        JdkClient first = openWebSocket();
        JsonNode reply = subscribe(first, null);
        assertThat(reply.path("offset").asLong()).as("a fresh channel's offset, %s", reply).isZero();
        epoch = reply.path("epoch").asText();
        cursor = "0:" + epoch;
        closeWebSocket(first);

        CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> {
            try {
                for (int i = 1; i <= BACKEND_PUBLICATIONS; i++) {
                    publish("{\"backend\":" + i + "}");
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        Random random = new Random(3);
        int switches = 0;
        for (int phase = 0; seen.size() < TOTAL; phase++) {
            if (phase > 0 && switches < SWITCH_PUBLICATIONS) {
                // Published while the client is away: the next transport must recover it.
                publish("{\"between\":" + ++switches + "}");
            }
            Transport transport = Transport.values()[phase % 3];
            int wanted = Math.min(TOTAL - seen.size(), 1 + random.nextInt(40));
            switch (transport) {
                case WEBSOCKET -> readOverWebSocket(wanted);
                case SSE -> readOverSse(wanted);
                case LONG_POLL -> readByLongPolling(wanted);
            }
            used.add(transport);
        }
        publisher.get(60, TimeUnit.SECONDS);

        List<Long> expected = new ArrayList<>();
        for (long offset = 1; offset <= TOTAL; offset++) {
            expected.add(offset);
        }
        assertThat(seen).as("offsets seen over %s", used).containsExactlyElementsOf(expected);
        assertThat(used).as("transports used").contains(Transport.values());
        assertThat(cursor).as("the client's final cursor").isEqualTo(TOTAL + ":" + epoch);
    }

    private void readOverWebSocket(int wanted) throws Exception {
        JdkClient ws = openWebSocket();
        JsonNode reply = subscribe(ws, cursor);
        assertThat(reply.path("recovered").asBoolean()).as("subscribe since %s: %s", cursor, reply).isTrue();
        assertThat(reply.path("epoch").asText()).isEqualTo(epoch);
        for (int got = 0; got < wanted; ) {
            JsonNode push = JSON.readTree(ws.nextText());
            if (!push.has("pub")) {
                continue; // join/leave pushes are not publications
            }
            JsonNode pub = push.path("pub");
            assertThat(pub.path("channel").asText()).isEqualTo(CHANNEL);
            see(pub.path("offset").asLong(), pub.path("epoch").asText(), pub.path("data"));
            got++;
        }
        closeWebSocket(ws);
    }

    private void readOverSse(int wanted) throws Exception {
        try (SseStream sse = backend.stream("/sse?channel=" + CHANNEL + "&since=" + encode(cursor), null)) {
            assertThat(sse.status).as("GET /sse since %s", cursor).isEqualTo(200);
            assertThat(sse.headers.firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            for (int got = 0; got < wanted; got++) {
                SseStream.Event event = sse.next();
                assertThat(event.event()).as("event type").isEqualTo(CHANNEL);
                String[] id = event.id().split(":", 2);
                see(Long.parseLong(id[0]), id[1], JSON.readTree(event.data()));
                assertThat(event.id()).as("the id is the cursor").isEqualTo(cursor);
            }
        }
    }

    private void readByLongPolling(int wanted) throws Exception {
        for (int got = 0; got < wanted; ) {
            var response = backend.get("/poll?channel=" + CHANNEL + "&since=" + encode(cursor) + "&wait=10");
            assertThat(response.statusCode()).as("GET /poll since %s: %s", cursor, response.body()).isEqualTo(200);
            JsonNode answer = JSON.readTree(response.body());
            assertThat(answer.path("recovered").asBoolean()).as("poll since %s: %s", cursor, answer).isTrue();
            for (JsonNode message : answer.path("messages")) {
                assertThat(message.path("channel").asText()).isEqualTo(CHANNEL);
                see(message.path("offset").asLong(), message.path("epoch").asText(), message.path("data"));
                got++;
            }
            assertThat(answer.path("cursor").asText()).as("the poll's next cursor").isEqualTo(cursor);
        }
    }

    /** Records one publication as the client saw it and moves the client's cursor past it. */
    private void see(long offset, String messageEpoch, JsonNode data) throws InterruptedException {
        assertThat(messageEpoch).as("epoch of offset %d", offset).isEqualTo(epoch);
        long last = Long.parseLong(cursor.substring(0, cursor.indexOf(':')));
        assertThat(offset).as("the offset after cursor %s (%s so far)", cursor, used).isEqualTo(last + 1);
        JsonNode expected = publishedAt(offset);
        assertThat(data).as("data at offset %d", offset).isEqualTo(expected);
        seen.add(offset);
        cursor = offset + ":" + messageEpoch;
    }

    private void publish(String data) throws Exception {
        Backend.Published published = backend.publish(CHANNEL, data);
        synchronized (publishedAt) {
            publishedAt.put(published.offset(), JSON.readTree(data));
            publishedAt.notifyAll();
        }
    }

    /** The data published at {@code offset}, waiting for its publisher to hear back from the publish API. */
    private JsonNode publishedAt(long offset) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        synchronized (publishedAt) {
            while (!publishedAt.containsKey(offset)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("offset " + offset + " was never reported by the publish API");
                }
                publishedAt.wait(Math.max(1, left / 1_000_000));
            }
            return publishedAt.get(offset);
        }
    }

    private JdkClient openWebSocket() throws Exception {
        JdkClient ws = JdkClient.connect("ws://127.0.0.1:" + server.port() + "/ws");
        JsonNode connect = JSON.readTree(ws.nextText());
        assertThat(connect.path("connect").path("client").isTextual()).as("first message %s", connect).isTrue();
        return ws;
    }

    private static JsonNode subscribe(JdkClient ws, String since) throws Exception {
        String command = "{\"id\":1,\"subscribe\":{\"channel\":\"" + CHANNEL + "\""
                + (since == null ? "" : ",\"since\":\"" + since + "\"") + "}}";
        ws.socket.sendText(command, true).get(5, TimeUnit.SECONDS);
        JsonNode reply = JSON.readTree(ws.nextText());
        assertThat(reply.path("id").asInt()).as("subscribe reply %s", reply).isEqualTo(1);
        assertThat(reply.path("subscribe").path("channel").asText()).as("subscribe reply %s", reply).isEqualTo(CHANNEL);
        return reply.path("subscribe");
    }

    private static void closeWebSocket(JdkClient ws) throws Exception {
        ws.socket.sendClose(1000, "switching transport").get(5, TimeUnit.SECONDS);
        assertThat(ws.awaitClose().code()).isEqualTo(1000);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
