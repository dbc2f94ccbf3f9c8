package io.switchboard.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static io.switchboard.it.ExternalClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged {@code switchboard} jar as a user runs it: {@code serve} with its defaults (demo
 * ticker on), every endpoint a user reaches first (chat, the lesson's price feed, SSE, polling,
 * the lesson's notifications, the publish API, the {@code /ws} protocol), then SIGTERM.
 */
class CliServeSmokeTest {

    /** The demo ticker publishes every 2 s; a slow CI machine gets a few of its intervals for the first tick. */
    static final Duration FIRST_TICK_WITHIN = Duration.ofSeconds(10);

    private ServeProcess process;

    @AfterEach
    void killLeftover() {
        if (process != null) {
            process.close();
        }
    }

    @Test
    void servesChatPrintsItsUrlAndOnSigtermClosesClientsWith1001AndExitsZero() throws Exception {
        int port = serve();

        JdkClient client = JdkClient.connect("ws://127.0.0.1:" + port + "/chat");
        assertThat(JSON.readTree(client.nextText()))
                .isEqualTo(JSON.createObjectNode().put("type", "welcome").put("message", "Connected!"));
        client.socket.sendText("{\"type\":\"chat\",\"username\":\"cli\",\"message\":\"smoke\"}", true)
                .get(5, TimeUnit.SECONDS);
        JsonNode chat = JSON.readTree(client.nextText());
        assertThat(chat.path("from").asText()).isEqualTo("cli");
        assertThat(chat.path("message").asText()).isEqualTo("smoke");

        process.terminate(); // SIGTERM, as Ctrl-C or a service manager would

        assertThat(client.awaitClose().code()).as("close code seen by the client").isEqualTo(1001);
        assertExitsZero();
    }

    @Test
    void servesTheDemoPriceFeedSsePollingNotificationsPublishAndTheWsProtocolOutOfTheBox() throws Exception {
        int port = serve();
        Backend backend = new Backend("http://127.0.0.1:" + port);

        // GET /events: the lesson's feed from the demo ticker, with the lesson's headers.
        try (SseStream events = backend.stream("/events", null)) {
            assertThat(events.status).as("GET /events").isEqualTo(200);
            assertThat(events.headers.firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
            assertThat(events.headers.firstValue("Cache-Control")).hasValue("no-cache");
            SseStream.Event tick = events.next(FIRST_TICK_WITHIN);
            assertThat(tick.event()).isEqualTo("price-update");
            assertThat(tick.id()).as("id: the cursor").matches("[0-9]+:\\S+");
            JsonNode price = JSON.readTree(tick.data());
            assertThat(price.path("price").isNumber()).as("price in %s", tick.data()).isTrue();
            assertThat(price.path("time").isIntegralNumber()).as("time is Date.now() in %s", tick.data()).isTrue();
            assertThat(events.retry()).as("retry: sent before the first event").isEqualTo("2000");
        }

        // POST /api/publish from loopback, with no API key configured.
        Backend.Published first = backend.publish("smoke", "{\"hello\":\"switchboard\"}");
        assertThat(first.offset()).isEqualTo(1);
        String epoch = first.epoch();

        // GET /sse from before the first publication: it is recovered, then the second arrives live.
        try (SseStream sse = backend.stream("/sse?channel=smoke&since=0:" + epoch, null)) {
            assertThat(sse.status).as("GET /sse").isEqualTo(200);
            assertThat(sse.next()).isEqualTo(new SseStream.Event("1:" + epoch, "smoke", "{\"hello\":\"switchboard\"}"));
            Backend.Published second = backend.publish("smoke", "{\"hello\":2}");
            assertThat(sse.next()).isEqualTo(new SseStream.Event(second.cursor(), "smoke", "{\"hello\":2}"));
        }

        // GET /poll?wait=0: short polling answers at once, with what follows the cursor or nothing.
        JsonNode poll = JSON.readTree(backend.get("/poll?channel=smoke&since=1:" + epoch + "&wait=0").body());
        assertThat(poll.path("messages")).hasSize(1);
        assertThat(poll.path("messages").get(0).path("offset").asLong()).isEqualTo(2);
        assertThat(poll.path("messages").get(0).path("data")).isEqualTo(JSON.readTree("{\"hello\":2}"));
        assertThat(poll.path("cursor").asText()).isEqualTo("2:" + epoch);
        JsonNode empty = JSON.readTree(backend.get("/poll?channel=smoke&since=2:" + epoch + "&wait=0").body());
        assertThat(empty.path("messages").isArray()).as("%s", empty).isTrue();
        assertThat(empty.path("messages")).isEmpty();
        assertThat(empty.path("cursor").asText()).isEqualTo("2:" + epoch);

        // GET /api/notifications/poll: the lesson's long poll, held until POST /api/notifications.
        // Its first poll carries no cookie and starts live, so notify until the held poll answers.
        CompletableFuture<HttpResponse<String>> held = backend.http.sendAsync(
                HttpRequest.newBuilder(URI.create(backend.base + "/api/notifications/poll")).build(),
                HttpResponse.BodyHandlers.ofString());
        for (int attempt = 0; attempt < 10 && !held.isDone(); attempt++) {
            backend.notify("{\"text\":\"smoke\"}");
            try {
                held.get(1, TimeUnit.SECONDS);
            } catch (TimeoutException stillHeld) {
                // the poll was not yet waiting when that notification went out
            }
        }
        HttpResponse<String> notifications = held.get(1, TimeUnit.SECONDS);
        assertThat(notifications.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(notifications.body())).as("the notifications array").isNotEmpty()
                .allSatisfy(n -> assertThat(n).isEqualTo(JSON.readTree("{\"text\":\"smoke\"}")));
        assertThat(notifications.headers().firstValue("Set-Cookie").orElse(""))
                .startsWith("switchboard-notifications=");

        // ws /ws: connect, subscribe with a cursor, get the missed publications, publish.
        JdkClient ws = JdkClient.connect("ws://127.0.0.1:" + port + "/ws");
        assertThat(JSON.readTree(ws.nextText()).path("connect").path("client").isTextual()).isTrue();
        ws.socket.sendText("{\"id\":1,\"subscribe\":{\"channel\":\"smoke\",\"since\":\"0:" + epoch + "\"}}", true)
                .get(5, TimeUnit.SECONDS);
        assertThat(JSON.readTree(ws.nextText())).isEqualTo(JSON.readTree(
                "{\"id\":1,\"subscribe\":{\"channel\":\"smoke\",\"offset\":2,\"epoch\":\"" + epoch + "\",\"recovered\":true}}"));
        assertThat(JSON.readTree(ws.nextText()).path("pub").path("offset").asLong()).isEqualTo(1);
        assertThat(JSON.readTree(ws.nextText()).path("pub").path("offset").asLong()).isEqualTo(2);
        // The defaults: clients publish nowhere but the demo's board.
        ws.socket.sendText("{\"id\":2,\"publish\":{\"channel\":\"smoke\",\"data\":{\"from\":\"ws\"}}}", true)
                .get(5, TimeUnit.SECONDS);
        JsonNode refused = JSON.readTree(ws.nextText());
        assertThat(refused.path("id").asLong()).isEqualTo(2);
        assertThat(refused.path("error").path("code").asInt()).as("%s", refused).isEqualTo(109);
        ws.socket.sendText("{\"id\":3,\"publish\":{\"channel\":\"demo:board\",\"data\":{\"from\":\"ws\"}}}", true)
                .get(5, TimeUnit.SECONDS);
        JsonNode board = JSON.readTree(ws.nextText());
        assertThat(board.path("publish").path("offset").asLong()).as("%s", board).isEqualTo(1);

        process.terminate();
        assertThat(ws.awaitClose().code()).as("close code seen by the /ws client").isEqualTo(1001);
        assertExitsZero();
    }

    /** Starts {@code switchboard serve} on a free loopback port with its defaults; returns the port once it says it listens. */
    private int serve() throws IOException, InterruptedException {
        process = ServeProcess.start();
        assertThat(process.startup()).as("the startup line names the endpoints").contains("/chat");
        return process.port();
    }

    private void assertExitsZero() throws InterruptedException {
        process.assertExitsZero();
    }
}
