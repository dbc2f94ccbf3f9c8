package io.switchboard.it;

import io.switchboard.core.Message;
import io.switchboard.server.SwitchboardServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lesson's EventSource client, unchanged ({@code new EventSource("/events")}, listening for
 * {@code price-update}), in headless Chromium. The browser reaches the server through a relay that
 * can cut the stream and hold the reconnect, so events are published while the page is away.
 */
class LessonEventSourceTest {

    /** Prices at or above this are the test's warm-up publications, not part of what it checks. */
    static final int WARM_UP = 1000;
    static final String EVENTS_REQUEST = "GET /events ";

    SwitchboardServer server;
    TcpRelay relay;
    Browser browser;

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
    void reconnectsAfterTheStreamIsCutAndReceivesExactlyTheMissedEventsViaLastEventId() throws Exception {
        browser.driver.get("http://example.com/sse.html");
        awaitStreamLive();

        publishPrice(1);
        Message second = publishPrice(2);
        browser.awaitTrue("return recorded.prices.includes(2)");

        int requests = relay.sentCount(EVENTS_REQUEST);
        relay.hold();
        relay.cutAll();
        // The browser's own reconnect, sent but held: everything published now is missed.
        relay.awaitSent(EVENTS_REQUEST, requests + 1, Duration.ofSeconds(30));
        publishPrice(3);
        publishPrice(4);
        publishPrice(5);
        relay.release();
        browser.awaitTrue("return recorded.prices.includes(5)");
        publishPrice(6);
        browser.awaitTrue("return recorded.prices.includes(6)");

        List<Long> prices = browser.js("return recorded.prices.filter(p => p < " + WARM_UP + ")");
        assertThat(prices).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        String reconnect = relay.sent().substring(relay.sent().lastIndexOf(EVENTS_REQUEST));
        assertThat(reconnect).as("the reconnect request").containsIgnoringCase("Last-Event-ID: " + second.position());
        List<String> logs = browser.js("return recorded.logs");
        assertThat(logs).contains("SSE connection lost — browser auto-reconnects");
    }

    /**
     * A fresh EventSource carries no cursor, so it gets what is published after it subscribed; a
     * warm-up publication that reaches the page shows the subscription is in place.
     */
    private void awaitStreamLive() throws Exception {
        browser.awaitTrue("return source.readyState === EventSource.OPEN");
        for (int attempt = 0; attempt < 10; attempt++) {
            publishPrice(WARM_UP + attempt);
            if (browser.becomesTrueWithin(Duration.ofSeconds(2), "return recorded.prices.length > 0")) {
                return;
            }
        }
        throw new AssertionError("no price-update reached the page");
    }

    private Message publishPrice(long price) throws Exception {
        String data = "{\"price\":" + price + ",\"time\":" + System.currentTimeMillis() + "}";
        return server.hub().publish("prices", data, null).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
