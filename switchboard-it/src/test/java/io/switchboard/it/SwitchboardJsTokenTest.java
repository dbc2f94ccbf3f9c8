package io.switchboard.it;

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /switchboard.js} with a token supplier, in headless Chromium, against a server that serves
 * no anonymous client: the token goes with every transport, and before it expires the page sends a
 * fresh one, so the WebSocket outlives it.
 */
class SwitchboardJsTokenTest {

    private static final String SECRET = "a-development-secret-of-32-bytes!";

    SwitchboardServer server;
    Browser browser;

    @BeforeEach
    void start() throws Exception {
        server = SwitchboardServer.start(TestServers.loopback().tokens(TokenVerifier.hmac(SECRET)));
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
        server.hub().publish("news", "{\"n\":" + n + "}", null).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /**
     * Publishes every 200 ms until the page has received one (a stream or poll without a cursor starts
     * live, once subscribed), within 20 s: only a transport that carried the token gets there.
     */
    private void publishUntilThePageReceives() throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        int n = 0;
        while (browser.<Long>js("return recorded.pubs.length") == 0 && Instant.now().isBefore(deadline)) {
            publish(++n);
            Thread.sleep(200);
        }
        assertThat(browser.<List<Long>>js("return recorded.pubs")).as("publications reached the page").isNotEmpty();
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
