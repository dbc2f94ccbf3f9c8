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
 * {@code /switchboard.js} with a token supplier, in headless Chromium, against a server that serves
 * no anonymous client: the token goes with every transport, and before it expires the page sends a
 * fresh one, so the WebSocket outlives it; an event stream that the server ends at the token's
 * expiry is opened again at once with a fresh one, missing nothing. A private channel
 * ({@code subscribe=token}) is read with the subscription's token supplier on every transport
 * ({@code subscribe} on {@code /ws}, {@code sub_token=} on SSE and polling).
 */
class SwitchboardJsTokenTest {

    private static final String SECRET = "a-development-secret-of-32-bytes!";
    private static final String PRIVATE = "private:plans";

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

    private void giveToken(Duration ttl) {
        browser.js("window.tokens.push(arguments[0])", Tokens.connection(SECRET, "alice", ttl, List.of()));
    }

    private void publish(int n) throws Exception {
        publish("news", n);
    }

    private void publish(String channel, int n) throws Exception {
        server.hub().publish(channel, "{\"n\":" + n + "}", null).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private void publishUntilThePageReceives() throws Exception {
        publishUntilThePageReceives("news");
    }

    /**
     * Publishes every 200 ms until the page has received one (a stream or poll without a cursor starts
     * live, once subscribed), within 20 s: only a transport that carried the token gets there.
     * Returns how many it published.
     */
    private int publishUntilThePageReceives(String channel) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        int n = 0;
        while (browser.<Long>js("return recorded.pubs.length") == 0 && Instant.now().isBefore(deadline)) {
            publish(channel, ++n);
            Thread.sleep(200);
        }
        assertThat(browser.<List<Long>>js("return recorded.pubs")).as("publications reached the page").isNotEmpty();
        return n;
    }

    private void grant() {
        browser.js("window.grant = arguments[0]", Tokens.subscription(SECRET, "alice", PRIVATE, Duration.ofMinutes(10)));
    }

    private void readsThePrivateChannelOver(String without, String transport) throws Exception {
        browser.driver.get("http://example.com/switchboard-client-token.html?channel=" + PRIVATE + "&without=" + without);
        for (int i = 0; i < 20; i++) {
            giveToken(Duration.ofMinutes(10)); // one per poll
        }
        grant();
        publishUntilThePageReceives(PRIVATE);
        assertThat(browser.<List<String>>js("return recorded.transports")).containsExactly(transport);
        assertThat(browser.<Long>js("return recorded.grantsTaken")).isPositive();
    }

    @Test
    void aPrivateChannelOverWebSocketTakesTheSubscriptionTokenInItsSubscribeCommand() throws Exception {
        readsThePrivateChannelOver("", "websocket");
    }

    @Test
    void aPrivateChannelOverServerSentEventsTakesTheSubscriptionTokenInTheUrl() throws Exception {
        readsThePrivateChannelOver("WebSocket", "sse");
    }

    @Test
    void aPrivateChannelOverLongPollingTakesTheSubscriptionTokenInTheUrl() throws Exception {
        readsThePrivateChannelOver("WebSocket,EventSource", "poll");
    }

    @Test
    void anEventStreamEndedAtItsTokensExpiryIsOpenedAgainAtOnceWithAFreshTokenMissingNothing() throws Exception {
        browser.driver.get("http://example.com/switchboard-client-token.html?without=WebSocket");
        String first = Tokens.connection(SECRET, "alice", Duration.ofSeconds(3), List.of());
        Instant firstExpiry = TokenVerifier.hmac(SECRET).verifyConnection(first).expiresAt();
        browser.js("window.tokens.push(arguments[0])", first);
        int published = publishUntilThePageReceives("news");
        giveToken(Duration.ofMinutes(10)); // what the backend hands out next

        // Publish across the expiry: the stream ends, the page comes back with the fresh token.
        while (Instant.now().isBefore(firstExpiry.plusSeconds(1))) {
            publish(++published);
            Thread.sleep(100);
        }
        long last = ++published;
        publish(published);
        browser.awaitTrue("return recorded.pubs.length > 0 && recorded.pubs[recorded.pubs.length - 1] === " + last);

        List<Long> pubs = browser.js("return recorded.pubs");
        assertThat(pubs).as("every publication after the first received, once, in order")
                .containsExactlyElementsOf(LongStream.rangeClosed(pubs.get(0), last).boxed().toList());
        assertThat(browser.<Long>js("return recorded.tokensTaken")).as("a fresh token for the second stream").isEqualTo(2);
        assertThat(browser.<List<String>>js("return recorded.transports")).containsExactly("sse");
        assertThat(browser.<List<String>>js("return recorded.states")).as("opened again at once, not after a refusal")
                .containsExactly("open");
    }

    @Test
    void overWebSocketTheTokenIsRefreshedBeforeItExpiresAndTheConnectionStays() throws Exception {
        browser.driver.get("http://example.com/switchboard-client-token.html");
        giveToken(Duration.ofSeconds(3));
        Instant firstExpiry = Instant.now().plusSeconds(3);
        browser.awaitTrue("return recorded.states.includes('open')");
        publishUntilThePageReceives();

        giveToken(Duration.ofMinutes(10));
        browser.awaitTrue("return recorded.tokensTaken === 2");
        while (Instant.now().isBefore(firstExpiry.plusSeconds(1))) {
            Thread.sleep(100);
        }
        long received = browser.<Long>js("return recorded.pubs.length");
        publish(0);
        browser.awaitTrue("return recorded.pubs.length > " + received);

        assertThat(browser.<List<String>>js("return recorded.transports")).containsExactly("websocket");
        assertThat(browser.<List<String>>js("return recorded.states")).as("never reconnected").containsExactly("open");
    }

    @Test
    void overServerSentEventsTheTokenTravelsInTheUrl() throws Exception {
        browser.driver.get("http://example.com/switchboard-client-token.html?without=WebSocket");
        giveToken(Duration.ofMinutes(10));
        browser.awaitTrue("return recorded.states.includes('open')");
        publishUntilThePageReceives();
        assertThat(browser.<List<String>>js("return recorded.transports")).containsExactly("sse");
    }

    @Test
    void overLongPollingTheTokenTravelsInTheAuthorizationHeader() throws Exception {
        browser.driver.get("http://example.com/switchboard-client-token.html?without=WebSocket,EventSource");
        for (int i = 0; i < 20; i++) {
            giveToken(Duration.ofMinutes(10)); // one per poll
        }
        publishUntilThePageReceives();
        assertThat(browser.<List<String>>js("return recorded.transports")).containsExactly("poll");
    }
}
