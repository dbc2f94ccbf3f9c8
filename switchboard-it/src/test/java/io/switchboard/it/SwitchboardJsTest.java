package io.switchboard.it;

import io.switchboard.server.SwitchboardServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The browser client {@code /switchboard.js} in headless Chromium: over WebSocket it reconnects on
 * its own and resubscribes from its cursor; without WebSocket it falls back to SSE, without
 * EventSource to long polling — and on each, a cut connection costs no message.
 */
class SwitchboardJsTest {

    SwitchboardServer server;
    TcpRelay relay;
    Browser browser;

    @BeforeEach
    void start() throws Exception {
        // The page publishes too: clients may publish in the default namespace here.
        server = SwitchboardServer.start(TestServers.loopback().namespaces(java.util.List.of(
                io.switchboard.core.access.Namespace.open("", 1000, java.time.Duration.ofMinutes(10)).withClientPublish(true))));
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
    void overWebSocketReconnectsAndResubscribesFromItsCursor() throws Exception {
        browser.driver.get("http://example.com/switchboard-client.html");
        browser.awaitTrue("return recorded.subscribed.length === 1");
        assertThat(browser.<List<String>>js("return recorded.transports")).containsExactly("websocket");
        receivesEveryMessageAcrossACut("GET /ws ");
        assertThat(browser.<Long>js("return recorded.subscribed.length")).isEqualTo(2);
        // Publishing goes over the same WebSocket.
        browser.js("sb.publish('news', {from: 'page'}).then((r) => recorded.published = r)");
        browser.awaitTrue("return recorded.published !== undefined && recorded.pubs.includes(7)");
    }

    @Test
    void aWebSocketThatWorkedStaysTheTransportWhenReconnectsFailForAWhile() throws Exception {
        browser.driver.get("http://example.com/switchboard-client.html");
        browser.awaitTrue("return recorded.subscribed.length === 1");
        publish(1);
        browser.awaitTrue("return recorded.pubs.includes(1)");

        // The server is out of reach for a while (a deploy, its node killed): two reconnects fail before they open.
        relay.hold();
        relay.cutAll();
        int requests = 0;
        for (int attempt = 2; attempt <= 3; attempt++) {
            relay.awaitSent("GET /ws ", attempt, Duration.ofSeconds(20));
            requests = relay.sentCount("GET /");
            relay.cutAll();
        }
        relay.awaitSent("GET /", requests + 1, Duration.ofSeconds(20)); // the next attempt, on whichever transport
        publish(2);
        relay.release();
        browser.awaitTrue("return recorded.pubs.includes(2)");

        assertThat(browser.<List<String>>js("return recorded.transports")).as("transports the page used").containsExactly("websocket");
        browser.js("sb.publish('news', {from: 'page'}).then((r) => recorded.published = r)");
        browser.awaitTrue("return recorded.published !== undefined && recorded.pubs.includes(3)");
        assertThat(browser.<List<Long>>js("return recorded.pubs")).containsExactly(1L, 2L, 3L);
    }

    @Test
    void withoutWebSocketFallsBackToServerSentEvents() throws Exception {
        browser.driver.get("http://example.com/switchboard-client.html?without=WebSocket");
        browser.awaitTrue("return recorded.states.includes('open')");
        assertThat(browser.<List<String>>js("return recorded.transports")).containsExactly("sse");
        receivesEveryMessageAcrossACut("GET /sse?channel=news");
    }

    @Test
    void overServerSentEventsACursorThatCannotBeRecoveredIsReportedAndTheStreamGoesOn() throws Exception {
        publish(1);
        // A cursor from another epoch: the server restarted and the history behind it is gone.
        browser.driver.get("http://example.com/switchboard-client.html?without=WebSocket&since=5:gone0000");
        browser.awaitTrue("return recorded.subscribed.length === 1");
        assertThat(browser.<Boolean>js("return recorded.subscribed[0].recovered")).isFalse();
        assertThat(browser.<Long>js("return recorded.subscribed[0].offset")).isEqualTo(1L);
        publish(2);
        browser.awaitTrue("return recorded.pubs.includes(2)");
        assertThat(browser.<List<Long>>js("return recorded.pubs")).containsExactly(2L);
    }

    @Test
    void withoutWebSocketAndEventSourceFallsBackToLongPolling() throws Exception {
        browser.driver.get("http://example.com/switchboard-client.html?without=WebSocket,EventSource");
        relay.awaitForwarded("GET /poll?channel=news", 1, Duration.ofSeconds(20));
        assertThat(browser.<List<String>>js("return recorded.transports")).containsExactly("poll");
        // The first poll carries no cursor: its answer (at the first message) brings one.
        awaitHeldPoll();
        receivesEveryMessageAcrossACut("GET /poll?channel=news");
    }

    /** Offsets 1..6 arrive exactly once although the connection is cut and 3..5 are published while it is away. */
    private void receivesEveryMessageAcrossACut(String request) throws Exception {
        publish(1);
        publish(2);
        browser.awaitTrue("return recorded.pubs.includes(2)");

        int sent = relay.sentCount(request);
        relay.hold();
        relay.cutAll();
        relay.awaitSent(request, sent + 1, Duration.ofSeconds(20));
        publish(3);
        publish(4);
        publish(5);
        relay.release();
        browser.awaitTrue("return recorded.pubs.includes(5)");
        publish(6);
        browser.awaitTrue("return recorded.pubs.includes(6)");

        assertThat(browser.<List<Long>>js("return recorded.pubs")).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    }

    private void awaitHeldPoll() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (server.heldPollCount() != 1) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the page's first poll never reached the server: " + browser.recorded());
            }
            Thread.sleep(5); // polling a condition, not waiting for time to pass
        }
    }

    private void publish(int n) throws Exception {
        server.hub().publish("news", "{\"n\":" + n + "}", null).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
}
