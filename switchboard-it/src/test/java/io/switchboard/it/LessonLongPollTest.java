package io.switchboard.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.server.SwitchboardServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.switchboard.it.ExternalClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lesson's {@code longPoll()} loop, unchanged, in headless Chromium. It sends no cursor, so
 * the server keeps its place (a cookie); notifications published while it is between polls (its
 * next request held in the relay) must reach it on the next poll, none lost, none twice.
 */
class LessonLongPollTest {

    static final String POLL_REQUEST = "GET /api/notifications/poll ";

    SwitchboardServer server;
    TcpRelay relay;
    Browser browser;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        server = SwitchboardServer.start(TestServers.loopback());
        relay = new TcpRelay(server.port());
        browser = Browser.mappingExampleComTo(relay.port());
    }

    @AfterEach
    void stop() throws Exception {
        try {
            browser.close();
            relay.close();
        } finally {
            server.close();
        }
    }

    @Test
    void receivesEveryNotificationPublishedWhileBetweenPolls() throws Exception {
        browser.driver.get("http://example.com/long-poll.html");
        awaitLoopLive();

        // The poll that follows the warm-up has reached the server; later ones will be held.
        int batches = ((Number) browser.js("return recorded.batches.length")).intValue();
        relay.awaitForwarded(POLL_REQUEST, batches + 1, Duration.ofSeconds(20));
        relay.hold();
        notify("n1");
        browser.awaitTrue("return JSON.stringify(recorded.batches).includes('\"n1\"')");
        // The loop's next poll is on its way but held: from the server's side it is between polls.
        relay.awaitSent(POLL_REQUEST, batches + 2, Duration.ofSeconds(20));
        notify("n2");
        notify("n3");
        notify("n4");
        notify("n5");
        relay.release();
        browser.awaitTrue("return JSON.stringify(recorded.batches).includes('\"n5\"')");

        List<JsonNode> received = new ArrayList<>();
        JSON.readTree((String) browser.js("return JSON.stringify(recorded.batches)"))
                .forEach(batch -> batch.forEach(received::add));
        assertThat(received.stream().dropWhile(LessonLongPollTest::isWarmUp)).containsExactly(
                notification("n1"), notification("n2"), notification("n3"), notification("n4"), notification("n5"));
    }

    /**
     * The loop's first poll carries no cookie, so it starts from what is published after it
     * arrives; a warm-up notification that reaches processNotifications shows it is in place.
     */
    private void awaitLoopLive() throws Exception {
        relay.awaitForwarded(POLL_REQUEST, 1, Duration.ofSeconds(20));
        for (int attempt = 0; attempt < 10; attempt++) {
            notify("warm-up " + attempt);
            if (browser.becomesTrueWithin(Duration.ofSeconds(2), "return recorded.batches.length > 0")) {
                return;
            }
        }
        throw new AssertionError("no notification reached processNotifications");
    }

    private static boolean isWarmUp(JsonNode notification) {
        return notification.path("text").asText().startsWith("warm-up");
    }

    private static JsonNode notification(String text) {
        return JSON.createObjectNode().put("text", text);
    }

    private void notify(String text) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/api/notifications"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(notification(text).toString()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST /api/notifications: %s", response.body()).isBetween(200, 299);
    }
}
