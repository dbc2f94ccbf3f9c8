package io.switchboard.it;

import io.switchboard.core.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.switchboard.it.ExternalClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lesson's EventSource client, unchanged ({@code new EventSource("/events")}, listening for
 * {@code price-update}), in headless Chromium, on the lesson's {@code /events}, on
 * {@code /sse?channel=price-update}, and on a two-channel {@code /sse} whose ids are
 * multi-cursors (the page points the lesson's constructor call there). The browser reaches the
 * server through a relay that cuts the stream and holds the browser's own reconnect while prices
 * go on being published; the page must end up with every price exactly once, in order, each
 * with its cursor as {@code lastEventId}.
 */
class LessonEventSourceTest {

    /** The same lesson client on the SSE endpoints. */
    enum Stream {
        EVENTS("/events", "prices"),
        SSE("/sse?channel=price-update", "price-update"),
        SSE_TWO_CHANNELS("/sse?channel=price-update&channel=price-alert", "price-update", "price-alert");

        /** Where prices are published; price p goes to channel p mod size. */
        final List<String> channels;
        final String request;
        final String page;

        Stream(String path, String... channels) {
            this.channels = List.of(channels);
            this.request = "GET " + path + " ";
            this.page = "http://example.com/sse.html" + (path.equals("/events") ? ""
                    : "?stream=" + URLEncoder.encode(path, StandardCharsets.UTF_8) + "&types=" + String.join(",", channels));
        }

        String channelOf(long price) {
            return channels.get((int) (price % channels.size()));
        }

        /** The SSE event type of a publication on {@code channel}: the lesson's feed names its own. */
        String typeOf(String channel) {
            return this == EVENTS ? "price-update" : channel;
        }
    }

    static final int ROUNDS = 3;
    static final Pattern LAST_EVENT_ID = Pattern.compile("(?im)^Last-Event-ID: *(.+?)\\r?$");

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
        // The stream opens once it is subscribed: what is published from now on is the page's.
        browser.awaitTrue("return recorded.opens === 1");

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
            awaitEveryPublication();
        }
        publishPrice(stream, ++price);
        awaitEveryPublication();

        assertReceivedEachPublicationOnceInOrder(stream);
        List<String> resumedFrom = lastEventIds(stream);
        assertThat(resumedFrom).as("Last-Event-ID of each reconnect").hasSize(ROUNDS);
        // Cut before any price arrived, the page resumes from the stream's own starting id.
        List<String> received = browser.js("return recorded.events.map(e => e.id)");
        for (String id : resumedFrom) {
            if (offsets(id) == 0) {
                assertThat(id.split(" ")).as("Last-Event-ID %s", id).containsExactlyInAnyOrderElementsOf(start(stream));
            } else {
                assertThat(received).as("Last-Event-ID %s: an id the page had received", id).contains(id);
            }
        }
        assertThat(resumedFrom).as("each reconnect resumed further on")
                .isSortedAccordingTo(Comparator.comparingLong(LessonEventSourceTest::offsets));
        assertThat(browser.<List<String>>js("return recorded.logs"))
                .contains("SSE connection lost — browser auto-reconnects");
        assertThat(browser.<Long>js("return recorded.opens")).as("open events").isEqualTo(ROUNDS + 1L);
    }

    @ParameterizedTest
    @EnumSource(Stream.class)
    void droppedBeforeItsFirstEventItResumesFromWhereItStartedAndMissesNothing(Stream stream) throws Exception {
        browser.driver.get(stream.page);
        browser.awaitTrue("return recorded.opens === 1");
        // Nothing published yet: the stream's only id is the event-less one naming where it starts.
        relay.awaitAnswered("id: ", 1, Duration.ofSeconds(10));

        relay.hold();
        relay.cutAll();
        relay.awaitSent(stream.request, 2, Duration.ofSeconds(30));
        for (long price = 1; price <= 3; price++) {
            publishPrice(stream, price);
        }
        relay.release();
        awaitEveryPublication();
        publishPrice(stream, 4);
        awaitEveryPublication();

        assertReceivedEachPublicationOnceInOrder(stream);
        List<String> resumedFrom = lastEventIds(stream);
        assertThat(resumedFrom).as("Last-Event-ID of the reconnect").hasSize(1);
        assertThat(resumedFrom.get(0).split(" ")).as("Last-Event-ID of the reconnect: the start of every channel")
                .containsExactlyInAnyOrderElementsOf(start(stream));
    }

    /** The entries of the stream's starting id on fresh channels: {@code 0:<epoch>}, or {@code channel=0:<epoch>} each. */
    private List<String> start(Stream stream) {
        return stream.channels.stream().map(channel -> {
            String cursor = "0:" + published.stream().filter(m -> m.channel().equals(channel)).findFirst().orElseThrow().epoch();
            return stream.channels.size() == 1 ? cursor : channel + "=" + cursor;
        }).toList();
    }

    /**
     * Per channel, the page got each publication once, in order, with its cursor as
     * {@code lastEventId} (for several channels, the multi-cursor's entry for that channel), and
     * the lesson's handler got the prices of its {@code price-update} events.
     */
    private void assertReceivedEachPublicationOnceInOrder(Stream stream) throws Exception {
        List<Map<String, Object>> events = browser.js("return recorded.events");
        for (String channel : stream.channels) {
            List<Long> prices = new ArrayList<>();
            List<String> cursors = new ArrayList<>();
            for (Map<String, Object> event : events) {
                if (stream.typeOf(channel).equals(event.get("type"))) {
                    prices.add(JSON.readTree((String) event.get("data")).path("price").asLong());
                    cursors.add(cursorOf(channel, (String) event.get("id"), stream.channels.size()));
                }
            }
            List<Message> expected = published.stream().filter(m -> m.channel().equals(channel)).toList();
            assertThat(prices).as("prices received on %s, in order", channel)
                    .containsExactlyElementsOf(expected.stream().map(LessonEventSourceTest::price).toList());
            assertThat(cursors).as("ids of the events on %s", channel)
                    .containsExactlyElementsOf(expected.stream().map(m -> m.position().toString()).toList());
        }
        String lessonChannel = stream == Stream.EVENTS ? "prices" : "price-update";
        assertThat(browser.<List<Long>>js("return recorded.prices"))
                .as("what the lesson's handler passed to updateStockTicker").containsExactlyElementsOf(
                        published.stream().filter(m -> m.channel().equals(lessonChannel)).map(LessonEventSourceTest::price).toList());
    }

    /** {@code channel}'s cursor in an event id: the id itself, or its {@code channel=cursor} entry. */
    private static String cursorOf(String channel, String id, int channels) {
        if (channels == 1) {
            return id;
        }
        for (String entry : id.split(" ")) {
            if (entry.startsWith(channel + "=")) {
                return entry.substring(channel.length() + 1);
            }
        }
        throw new AssertionError("multi-cursor " + id + " has no entry for " + channel);
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

    /** The sum of a (multi-)cursor's offsets: it grows as the stream moves on. */
    private static long offsets(String id) {
        long sum = 0;
        for (String entry : id.split(" ")) {
            String cursor = entry.substring(entry.lastIndexOf('=') + 1);
            sum += Long.parseLong(cursor.substring(0, cursor.indexOf(':')));
        }
        return sum;
    }

    /** Waits until the page has recorded as many events as were published so far. */
    private void awaitEveryPublication() {
        browser.awaitTrue("return recorded.events.length >= " + published.size());
    }

    private void publishPrice(Stream stream, long price) throws Exception {
        String data = "{\"price\":" + price + ",\"time\":" + System.currentTimeMillis() + "}";
        published.add(setup.server.hub().publish(stream.channelOf(price), data, null).toCompletableFuture().get(5, TimeUnit.SECONDS));
    }

    private static long price(Message message) {
        try {
            return JSON.readTree(message.data()).path("price").asLong();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
