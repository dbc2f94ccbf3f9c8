package io.switchboard.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.server.ServerConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.switchboard.it.ExternalClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lesson's {@code longPoll()} loop, unchanged, in headless Chromium. It sends no cursor, so
 * the server keeps its place (a cookie). The browser reaches the server through a relay: after a
 * poll returns, the loop's next poll is held in the relay while a burst of notifications is
 * published, so from the server's side the loop is between polls; every notification must reach
 * {@code processNotifications}, none lost, none twice, in order. A poll that times out gets the
 * empty array the loop expects, and the loop carries on.
 */
class LessonLongPollTest {

    static final String POLL_REQUEST = "GET /api/notifications/poll ";
    static final int ROUNDS = 4;

    RelayedBrowser setup;
    TcpRelay relay;
    Browser browser;
    Backend backend;

    /** Each test starts its own server (configured as it needs), relay and browser. */
    void start(ServerConfig config) throws Exception {
        setup = RelayedBrowser.start(config);
        relay = setup.relay;
        browser = setup.browser;
        backend = setup.backend();
    }

    @AfterEach
    void stop() throws Exception {
        if (setup != null) {
            setup.close();
        }
    }

    @Test
    void receivesEveryNotificationPublishedWhileItIsBetweenPolls() throws Exception {
        start(TestServers.loopback());
        browser.driver.get("http://example.com/long-poll.html");
        awaitLoopLive();

        List<JsonNode> expected = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            // The loop's current poll has reached the server and waits there.
            int batches = ((Number) browser.js("return recorded.batches.length")).intValue();
            relay.awaitForwarded(POLL_REQUEST, batches + 1, Duration.ofSeconds(20));
            relay.hold();
            JsonNode wake = notification(round + ".0");
            backend.notify(wake.toString());
            expected.add(wake);
            // That poll returned; the loop's next one is sent but held, so it has not reached the server.
            relay.awaitSent(POLL_REQUEST, batches + 2, Duration.ofSeconds(20));
            for (int i = 1; i <= round; i++) {
                JsonNode missed = notification(round + "." + i);
                backend.notify(missed.toString());
                expected.add(missed);
            }
            relay.release();
            String last = expected.get(expected.size() - 1).path("text").asText();
            browser.awaitTrue("return JSON.stringify(recorded.batches).includes('\"" + last + "\"')");
        }

        List<JsonNode> received = new ArrayList<>();
        JSON.readTree((String) browser.js("return JSON.stringify(recorded.batches)"))
                .forEach(batch -> batch.forEach(received::add));
        assertThat(received.stream().dropWhile(LessonLongPollTest::isWarmUp))
                .as("what processNotifications got, in order").containsExactlyElementsOf(expected);
        assertThat(relay.sent()).as("the loop's cookie keeps its place")
                .containsIgnoringCase("Cookie: switchboard-notifications=");
    }

    @Test
    void keepsPollingThroughEmptyAnswersOnTimeoutAndGetsWhatIsPublishedAfterThem() throws Exception {
        start(TestServers.loopback().maxPollWait(Duration.ofSeconds(1)));
        browser.driver.get("http://example.com/long-poll.html");
        // Two polls held to the (shortened) limit and answered with an empty array; the first set the cookie.
        browser.awaitTrue("return recorded.batches.length >= 2");
        assertThat(browser.<List<Object>>js("return recorded.batches.slice(0, 2)")).containsExactly(List.of(), List.of());

        List<JsonNode> expected = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            expected.add(notification("after timeouts " + i));
            backend.notify(expected.get(i - 1).toString());
        }
        browser.awaitTrue("return JSON.stringify(recorded.batches).includes('\"after timeouts 5\"')");

        List<JsonNode> received = new ArrayList<>();
        JSON.readTree((String) browser.js("return JSON.stringify(recorded.batches)"))
                .forEach(batch -> batch.forEach(received::add));
        assertThat(received).as("what processNotifications got, in order").containsExactlyElementsOf(expected);
    }

    /**
     * The loop's first poll carries no cookie, so it starts from what is published after it
     * arrives; a warm-up notification that reaches processNotifications shows it is in place.
     */
    private void awaitLoopLive() throws Exception {
        relay.awaitForwarded(POLL_REQUEST, 1, Duration.ofSeconds(20));
        for (int attempt = 0; attempt < 10; attempt++) {
            backend.notify(notification("warm-up " + attempt).toString());
            if (browser.becomesTrueWithin(Duration.ofSeconds(2), "return recorded.batches.length > 0")) {
                return;
            }
        }
        throw new AssertionError("no notification reached processNotifications; the page recorded " + browser.recorded());
    }

    private static boolean isWarmUp(JsonNode notification) {
        return notification.path("text").asText().startsWith("warm-up");
    }

    private static JsonNode notification(String text) {
        return JSON.createObjectNode().put("text", text);
    }
}
