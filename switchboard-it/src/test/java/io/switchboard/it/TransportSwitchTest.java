package io.switchboard.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.Message;
import io.switchboard.server.SwitchboardServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static io.switchboard.it.ExternalClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One client, one channel, three transports in turn: WebSocket ({@code /ws}), then SSE
 * ({@code /sse} with {@code Last-Event-ID}), then long polling ({@code /poll?since=}), each
 * resuming from the cursor the previous one ended on. Messages are published while the client is
 * between transports; the offsets it sees must run 1..8 with no gap and no repeat.
 */
class TransportSwitchTest {

    static final String CHANNEL = "feed";

    SwitchboardServer server;
    final HttpClient http = HttpClient.newHttpClient();
    final List<Message> published = new ArrayList<>();
    final List<Long> seenOffsets = new ArrayList<>();

    @BeforeEach
    void start() {
        server = SwitchboardServer.start(TestServers.loopback());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void offsetsStayContinuousAcrossWebSocketThenSseThenLongPoll() throws Exception {
        // 1. WebSocket: subscribe, then three live publications.
        JdkClient ws = JdkClient.connect("ws://127.0.0.1:" + server.port() + "/ws");
        ws.socket.sendText("{\"id\":1,\"subscribe\":{\"channel\":\"" + CHANNEL + "\"}}", true).get(5, TimeUnit.SECONDS);
        JsonNode reply = JSON.readTree(ws.nextText());
        assertThat(reply.path("id").asInt()).as("subscribe reply %s", reply).isEqualTo(1);
        assertThat(reply.has("error")).as("subscribe reply %s", reply).isFalse();
        for (int i = 1; i <= 3; i++) {
            publish(i);
        }
        while (seenOffsets.size() < 3) {
            collect(JSON.readTree(ws.nextText()));
        }
        ws.socket.sendClose(1000, "switching to SSE").get(5, TimeUnit.SECONDS);
        ws.awaitClose();

        // 2. SSE from the WebSocket's cursor: two missed while away, then one live.
        publish(4);
        publish(5);
        try (SseStream sse = SseStream.open(http, URI.create(base() + "/sse?channel=" + CHANNEL),
                published.get(2).position().toString())) {
            String lastId = null;
            while (seenOffsets.size() < 5) {
                lastId = sse.nextData(this);
            }
            publish(6);
            while (seenOffsets.size() < 6) {
                lastId = sse.nextData(this);
            }
            assertThat(lastId).as("SSE id: is the cursor").isEqualTo(published.get(5).position().toString());
        }

        // 3. Long poll from the SSE cursor: two missed while away, answered at once.
        publish(7);
        publish(8);
        HttpResponse<String> poll = http.send(HttpRequest.newBuilder(URI.create(base() + "/poll?channel=" + CHANNEL
                + "&since=" + published.get(5).position() + "&wait=5")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(poll.statusCode()).as("GET /poll: %s", poll.body()).isEqualTo(200);
        collect(JSON.readTree(poll.body()));

        assertThat(seenOffsets).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    }

    private String base() {
        return "http://127.0.0.1:" + server.port();
    }

    private void publish(int n) throws Exception {
        published.add(server.hub().publish(CHANNEL, "{\"n\":" + n + "}", null).toCompletableFuture().get(5, TimeUnit.SECONDS));
    }

    /** Records every publication in {@code node} (any object with an offset and data), checking its data. */
    void collect(JsonNode node) throws IOException {
        if (node.isObject() && node.has("offset") && node.has("data")) {
            long offset = node.path("offset").asLong();
            JsonNode data = node.path("data").isTextual() ? JSON.readTree(node.path("data").asText()) : node.path("data");
            Message expected = published.stream().filter(m -> m.offset() == offset).findFirst()
                    .orElseThrow(() -> new AssertionError("publication with unknown offset: " + node));
            assertThat(data).as("data of offset %d", offset).isEqualTo(JSON.readTree(expected.data()));
            seenOffsets.add(offset);
            return;
        }
        for (JsonNode child : node) {
            collect(child);
        }
    }

    /** A text/event-stream read line by line on its own thread; each event's data is a JSON publication payload. */
    static final class SseStream implements AutoCloseable {
        private final InputStream body;
        private final BlockingQueue<String[]> events = new LinkedBlockingQueue<>();

        private SseStream(InputStream body) {
            this.body = body;
            Thread reader = new Thread(this::read, "sse-reader");
            reader.setDaemon(true);
            reader.start();
        }

        static SseStream open(HttpClient http, URI uri, String lastEventId) throws Exception {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri)
                    .header("Accept", "text/event-stream")
                    .header("Last-Event-ID", lastEventId)
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            return new SseStream(response.body());
        }

        /** Takes the next event with data, hands its payload to {@code test}, returns its id. */
        String nextData(TransportSwitchTest test) throws Exception {
            String[] event = events.poll(10, TimeUnit.SECONDS);
            if (event == null) {
                throw new AssertionError("no SSE event within 10 s");
            }
            JsonNode data = JSON.readTree(event[1]);
            // The event's id is the cursor "<offset>:<epoch>"; the data may be the payload itself.
            if (!(data.isObject() && data.has("offset"))) {
                data = JSON.createObjectNode().put("offset", Long.parseLong(event[0].split(":")[0])).set("data", data);
            }
            test.collect(data);
            return event[0];
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                String id = null;
                StringBuilder data = null;
                for (String line; (line = in.readLine()) != null; ) {
                    if (line.isEmpty()) {
                        if (data != null) {
                            events.add(new String[] {id, data.toString()});
                        }
                        data = null;
                    } else if (line.startsWith("id:")) {
                        id = line.substring(3).strip();
                    } else if (line.startsWith("data:")) {
                        String part = line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5);
                        data = data == null ? new StringBuilder(part) : data.append('\n').append(part);
                    }
                }
            } catch (IOException closed) {
                // the test closed the stream
            }
        }

        @Override
        public void close() throws IOException {
            body.close();
        }
    }
}
