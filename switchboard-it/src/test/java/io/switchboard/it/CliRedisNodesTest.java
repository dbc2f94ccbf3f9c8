package io.switchboard.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.switchboard.it.ExternalClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two {@code switchboard serve --broker redis://127.0.0.1:6379} processes on two ports, sharing
 * the Redis at 127.0.0.1:6379: a publication on node A reaches SSE, {@code /ws} and chat
 * clients of node B, with one stream (offsets and epoch) whichever node is asked.
 */
class CliRedisNodesTest {

    static final String REDIS = "redis://127.0.0.1:6379";

    /** Unique per run: the shared Redis also serves other tests. */
    private final String channel = "cli-nodes-" + UUID.randomUUID();
    private final List<ServeProcess> nodes = new ArrayList<>();

    @AfterEach
    void stopNodesAndRemoveKeys() throws Exception {
        for (ServeProcess node : nodes) {
            node.close();
        }
        // Every key of a channel carries its name as the hash tag {channel}.
        String keys = redisCli("--scan", "--pattern", "*{" + channel + "}*");
        for (String key : keys.split("\n")) {
            if (!key.isBlank()) {
                redisCli("UNLINK", key.trim());
            }
        }
    }

    private ServeProcess node() throws IOException, InterruptedException {
        ServeProcess node = ServeProcess.start("--broker", REDIS, "--no-demo");
        nodes.add(node);
        return node;
    }

    @Test
    void aPublicationOnNodeAReachesSseAndWsSubscribersOnNodeBThroughRedis() throws Exception {
        ServeProcess a = node();
        ServeProcess b = node();
        assertThat(b.startup()).as("the startup line names the broker").contains("broker: " + REDIS);
        Backend onA = new Backend("http://127.0.0.1:" + a.port());
        Backend onB = new Backend("http://127.0.0.1:" + b.port());

        Backend.Published first = onA.publish(channel, "{\"n\":1}");
        assertThat(first.offset()).isEqualTo(1);
        String epoch = first.epoch();

        // Node B reads the stream node A wrote (history in Redis), then gets node A's next publication live.
        try (SseStream sse = onB.stream("/sse?channel=" + channel + "&since=0:" + epoch, null)) {
            assertThat(sse.status).as("GET /sse on node B").isEqualTo(200);
            assertThat(sse.next()).isEqualTo(new SseStream.Event("1:" + epoch, channel, "{\"n\":1}"));

            JdkClient ws = JdkClient.connect("ws://127.0.0.1:" + b.port() + "/ws");
            assertThat(JSON.readTree(ws.nextText()).path("connect").path("client").isTextual()).isTrue();
            ws.socket.sendText("{\"id\":1,\"subscribe\":{\"channel\":\"" + channel + "\",\"since\":\"1:" + epoch + "\"}}", true)
                    .get(5, TimeUnit.SECONDS);
            assertThat(JSON.readTree(ws.nextText())).isEqualTo(JSON.readTree("{\"id\":1,\"subscribe\":{\"channel\":\""
                    + channel + "\",\"offset\":1,\"epoch\":\"" + epoch + "\",\"recovered\":true}}"));

            Backend.Published second = onA.publish(channel, "{\"n\":2}");

            assertThat(second.cursor()).isEqualTo("2:" + epoch);
            assertThat(sse.next()).isEqualTo(new SseStream.Event("2:" + epoch, channel, "{\"n\":2}"));
            JsonNode push = JSON.readTree(ws.nextText());
            assertThat(push).isEqualTo(JSON.readTree("{\"pub\":{\"channel\":\"" + channel + "\",\"offset\":2,\"epoch\":\""
                    + epoch + "\",\"data\":{\"n\":2}}}"));
        }

        a.terminate();
        b.terminate();
        a.assertExitsZero();
        b.assertExitsZero();
    }

    @Test
    void twoNodesWithTheDemoTickOnceBetweenThemNotOncePerNode() throws Exception {
        for (int i = 0; i < 2; i++) {
            nodes.add(ServeProcess.start("--broker", REDIS, "--ticker-interval", "200ms"));
        }
        Backend onB = new Backend("http://127.0.0.1:" + nodes.get(1).port());
        try (SseStream events = onB.stream("/events", null)) {
            events.next(); // the first price: the ticker runs
            long start = System.nanoTime();
            long previous = -1;
            for (int i = 0; i < 10; i++) {
                SseStream.Event price = events.next();
                long offset = Long.parseLong(price.id().split(":")[0]);
                if (previous >= 0) {
                    assertThat(offset).as("one stream of prices, no gap").isEqualTo(previous + 1);
                }
                previous = offset;
            }
            long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
            // Ten ticks of one 200 ms ticker take about 2 s; two tickers would bring them in about 1 s.
            assertThat(elapsedMillis).as("ten prices came at one ticker's pace").isGreaterThanOrEqualTo(1_600);
        }
    }

    @Test
    void theLessonsChatSpansNodes() throws Exception {
        ServeProcess a = node();
        ServeProcess b = node();

        JdkClient onA = JdkClient.connect("ws://127.0.0.1:" + a.port() + "/chat");
        JdkClient onB = JdkClient.connect("ws://127.0.0.1:" + b.port() + "/chat");
        // The welcome comes once the connection is subscribed to the chat channel on its node.
        assertThat(JSON.readTree(onA.nextText()).path("type").asText()).isEqualTo("welcome");
        assertThat(JSON.readTree(onB.nextText()).path("type").asText()).isEqualTo("welcome");
        onA.socket.sendText("{\"type\":\"chat\",\"username\":\"ann\",\"message\":\"hello from A\"}", true)
                .get(5, TimeUnit.SECONDS);

        JsonNode chat = JSON.readTree(onB.nextText());
        assertThat(chat.path("type").asText()).isEqualTo("chat");
        assertThat(chat.path("from").asText()).isEqualTo("ann");
        assertThat(chat.path("message").asText()).isEqualTo("hello from A");
    }

    private static String redisCli(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", "6379"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("redis-cli finished").isTrue();
        return out;
    }
}
