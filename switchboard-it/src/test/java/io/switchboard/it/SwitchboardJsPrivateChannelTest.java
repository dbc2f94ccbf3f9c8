package io.switchboard.it;

import io.switchboard.core.access.Namespace;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.server.auth.TokenVerifier;
import io.switchboard.server.auth.Tokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /switchboard.js} on a private channel ({@code subscribe=token}), in headless Chromium: the
 * subscription's token supplier goes with every transport ({@code subscribe} on {@code /ws},
 * {@code sub_token=} on SSE and polling), and an event stream that ends at its connection token's
 * expiry is opened again at once with a fresh token, missing nothing.
 */
class SwitchboardJsPrivateChannelTest {

    private static final String SECRET = "a-development-secret-of-32-bytes!";
    private static final String CHANNEL = "private:plans";

    SwitchboardServer server;
    Browser browser;

    @BeforeEach
    void start() throws Exception {
        Namespace defaults = Namespace.open("", 100, Duration.ofMinutes(10));
        server = SwitchboardServer.start(TestServers.loopback().tokens(TokenVerifier.hmac(SECRET))
                .namespaces(List.of(defaults, defaults.withName("private").withSubscribe(Namespace.SubscribePolicy.TOKEN))));
        browser = Browser.mappingExampleComTo(server.port());
    }

    @AfterEach
    void stop() {
        try {
            browser.close();
        } finally {
            server.close();
        }
    }

    private void signIn(Duration ttl) {
        browser.js("window.token = arguments[0]", Tokens.connection(SECRET, "alice", ttl, List.of()));
    }

    private void grant() {
        browser.js("window.grant = arguments[0]", Tokens.subscription(SECRET, "alice", CHANNEL, Duration.ofMinutes(10)));
    }

    private void publish(int n) throws Exception {
        server.hub().publish(CHANNEL, "{\"n\":" + n + "}", null).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** Publishes every 200 ms until the page has received one, within 20 s; returns how many were published. */
    private int publishUntilThePageReceives() throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        int n = 0;
        while (browser.<Long>js("return recorded.pubs.length") == 0 && Instant.now().isBefore(deadline)) {
            publish(++n);
            Thread.sleep(200);
        }
        assertThat(browser.<List<Long>>js("return recorded.pubs")).as("publications reached the page").isNotEmpty();
        return n;
    }

    private void readsThePrivateChannelOver(String page, String transport) throws Exception {
        browser.driver.get("http://example.com/switchboard-client-private.html" + page);
        signIn(Duration.ofMinutes(10));
        grant();
        publishUntilThePageReceives();
        assertThat(browser.<List<String>>js("return recorded.transports")).containsExactly(transport);
        assertThat(browser.<Long>js("return recorded.grantsTaken")).isPositive();
    }

    @Test
    void overWebSocketTheSubscriptionTokenGoesInTheSubscribeCommand() throws Exception {
        readsThePrivateChannelOver("", "websocket");
    }

    @Test
    void overServerSentEventsTheSubscriptionTokenTravelsInTheUrl() throws Exception {
        readsThePrivateChannelOver("?without=WebSocket", "sse");
    }

    @Test
    void overLongPollingTheSubscriptionTokenTravelsInTheUrl() throws Exception {
        readsThePrivateChannelOver("?without=WebSocket,EventSource", "poll");
    }

    @Test
    void anEventStreamEndedAtItsTokensExpiryIsOpenedAgainAtOnceWithAFreshTokenMissingNothing() throws Exception {
        browser.driver.get("http://example.com/switchboard-client-private.html?without=WebSocket");
        String first = Tokens.connection(SECRET, "alice", Duration.ofSeconds(3), List.of());
        Instant firstExpiry = TokenVerifier.hmac(SECRET).verifyConnection(first).expiresAt();
        browser.js("window.token = arguments[0]", first);
        grant();
        int published = publishUntilThePageReceives();
        signIn(Duration.ofMinutes(10)); // what the backend hands out from now on

        // Publish across the expiry: the stream ends, the page comes back with the fresh token.
        while (Instant.now().isBefore(firstExpiry.plusSeconds(1))) {
            publish(++published);
            Thread.sleep(100);
        }
        publish(++published);
        long last = published;
        browser.awaitTrue("return recorded.pubs.length > 0 && recorded.pubs[recorded.pubs.length - 1] === " + last);

        List<Long> pubs = browser.js("return recorded.pubs");
        long firstReceived = pubs.get(0);
        assertThat(pubs).as("every publication after the first received, once, in order")
                .containsExactlyElementsOf(LongStream.rangeClosed(firstReceived, last).boxed().toList());
        assertThat(browser.<Long>js("return recorded.tokensTaken")).as("a fresh token for the second stream").isGreaterThanOrEqualTo(2);
        assertThat(browser.<List<String>>js("return recorded.transports")).containsExactly("sse");
        assertThat(browser.<List<String>>js("return recorded.states")).as("opened again at once, not after a refusal")
                .containsExactly("open");
    }
}
