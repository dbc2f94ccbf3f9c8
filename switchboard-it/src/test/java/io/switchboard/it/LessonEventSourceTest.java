package io.switchboard.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.switchboard.it.ExternalClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lesson's EventSource client, unchanged ({@code new EventSource("/events")}, listening for
 * {@code price-update}), in headless Chromium, on the lesson's {@code /events} and on
 * {@code /sse?channel=price-update} (the page points the lesson's constructor call there). The
 * browser reaches the server through a relay that cuts the stream and holds the browser's own
 * reconnect while prices go on being published; the page must end up with every price exactly
 * once, in order, each with its cursor as {@code lastEventId}.
 */
class LessonEventSourceTest {

    /** The same lesson client on the two SSE endpoints. */
    enum Stream {
        EVENTS("prices", "/events", "sse.html"),
        SSE("price-update", "/sse?channel=price-update",
                "sse.html?stream=" + URLEncoder.encode("/sse?channel=price-update", StandardCharsets.UTF_8));

        final String channel;
        final String request;
        final String page;

        Stream(String channel, String path, String page) {
            this.channel = channel;
            this.request = "GET " + path + " ";
            this.page = "http://example.com/" + page;
        }
    }

    /** Prices at or above this are the test's warm-up publications, not part of what it checks. */
    static final int WARM_UP = 1000;
    static final int ROUNDS = 3;
    static final Pattern LAST_EVENT_ID = Pattern.compile("(?im)^Last-Event-ID: *(\\S+)\\r?$");

    RelayedBrowser setup;
    TcpRelay relay;
    Browser browser;
    final List<Message> published = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        setup = RelayedBrowser.start();
        relay = setup.relay;
        browser = setup.browser;
    }

    @AfterEach
    void stop() throws Exception {
        setup.close();
    }

    @ParameterizedTest
    @EnumSource(Stream.class)
    void reconnectsOnItsOwnAfterEachDropAndReceivesExactlyTheMissedEventsViaLastEventId(Stream stream) throws Exception {
        browser.driver.get(stream.page);
        awaitStreamLive(stream);

        long price = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            int requests = relay.sentCount(stream.request);
            // Some of these are still on their way when the stream is cut: whatever the page did
            // not get in full must come again after the reconnect, and what it got must not.
            for (int i = 0; i < 3; i++) {
                publishPrice(stream, ++price);
            }
            relay.hold();
            relay.cutAll();
            // The browser's own reconnect is sent but held: from the server's side the page is away.
            relay.awaitSent(stream.request, requests + 1, Duration.ofSeconds(30));
            for (int i = 0; i < 3; i++) {
                publishPrice(stream, ++price);
            }
            relay.release();
            browser.awaitTrue("return recorded.prices.includes(" + price + ")");
        }
        publishPrice(stream, ++price);
        browser.awaitTrue("return recorded.prices.includes(" + price + ")");

        List<Map<String, Object>> events = browser.js("return recorded.events");
        List<Long> prices = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (Map<String, Object> event : events) {
            JsonNode data = JSON.readTree((String) event.get("data"));
            if (data.path("price").asLong() < WARM_UP) {
                prices.add(data.path("price").asLong());
                ids.add((String) event.get("id"));
            }
        }
        List<Long> expectedPrices = new ArrayList<>();
        for (long p = 1; p <= price; p++) {
            expectedPrices.add(p);
        }
        assertThat(prices).as("prices the page received, in order").containsExactlyElementsOf(expectedPrices);
        assertThat(browser.<List<Long>>js("return recorded.prices.filter(p => p < " + WARM_UP + ")"))
                .as("what the lesson's handler passed to updateStockTicker").containsExactlyElementsOf(expectedPrices);
        assertThat(ids).as("each event's id is its cursor")
                .containsExactlyElementsOf(published.stream().map(m -> m.position().toString()).toList());

        List<String> resumedFrom = lastEventIds(stream);
        assertThat(resumedFrom).as("Last-Event-ID of each reconnect").hasSize(ROUNDS);
        List<String> allIds = events.stream().map(e -> (String) e.get("id")).toList();
        assertThat(allIds).as("each reconnect resumed from an id the page had received").containsAll(resumedFrom);
        assertThat(resumedFrom).as("each reconnect resumed further on").isSortedAccordingTo(
                (a, b) -> Long.compare(offset(a), offset(b)));
        assertThat(browser.<List<String>>js("return recorded.logs"))
                .contains("SSE connection lost — browser auto-reconnects");
        assertThat(browser.<Long>js("return recorded.opens")).as("open events").isEqualTo(ROUNDS + 1L);
    }

    @ParameterizedTest
    @EnumSource(Stream.class)
    void droppedBeforeItsFirstEventItResumesFromWhereItStartedAndMissesNothing(Stream stream) throws Exception {
        browser.driver.get(stream.page);
        browser.awaitTrue("return recorded.opens === 1");
        // Nothing published yet: the stream's only id is the event-less one naming its start, 0:<epoch>.
        relay.awaitAnswered("id: 0:", 1, Duration.ofSeconds(10));

        relay.hold();
        relay.cutAll();
        relay.awaitSent(stream.request, 2, Duration.ofSeconds(30));
        for (long price = 1; price <= 3; price++) {
            publishPrice(stream, price);
        }
        relay.release();
        browser.awaitTrue("return recorded.prices.includes(3)");
        publishPrice(stream, 4);
        browser.awaitTrue("return recorded.prices.includes(4)");

        assertThat(browser.<List<Long>>js("return recorded.prices")).containsExactly(1L, 2L, 3L, 4L);
        assertThat(browser.<List<String>>js("return recorded.events.map(e => e.id)"))
                .containsExactlyElementsOf(published.stream().map(m -> m.position().toString()).toList());
        assertThat(lastEventIds(stream)).as("Last-Event-ID of the reconnect")
                .containsExactly("0:" + published.get(0).epoch());
    }

    /** The {@code Last-Event-ID} sent with each request after the first, in order (null where absent). */
    private List<String> lastEventIds(Stream stream) {
        String[] requests = relay.sent().split(Pattern.quote(stream.request), -1);
        List<String> ids = new ArrayList<>();
        for (int i = 2; i < requests.length; i++) {
            String head = requests[i].substring(0, Math.max(0, requests[i].indexOf("\r\n\r\n")));
            Matcher matcher = LAST_EVENT_ID.matcher(head);
            ids.add(matcher.find() ? matcher.group(1) : null);
        }
        return ids;
    }

    private static long offset(String cursor) {
        return Long.parseLong(cursor.substring(0, cursor.indexOf(':')));
    }

    /**
     * A fresh EventSource carries no cursor, so it gets what is published after it subscribed; a
     * warm-up publication that reaches the page shows the subscription is in place.
     */
    private void awaitStreamLive(Stream stream) throws Exception {
        browser.awaitTrue("return recorded.opens === 1");
        for (int attempt = 0; attempt < 10; attempt++) {
            publish(stream, WARM_UP + attempt);
            if (browser.becomesTrueWithin(Duration.ofSeconds(2), "return recorded.prices.length > 0")) {
                return;
            }
        }
        throw new AssertionError("no price-update reached the page; it recorded " + browser.recorded());
    }

    private void publishPrice(Stream stream, long price) throws Exception {
        published.add(publish(stream, price));
    }

    private Message publish(Stream stream, long price) throws Exception {
        String data = "{\"price\":" + price + ",\"time\":\"" + Instant.now() + "\"}";
        return setup.server.hub().publish(stream.channel, data, null).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
