package io.switchboard.it;

import io.switchboard.server.SwitchboardServer;
import io.switchboard.testkit.ExampleComCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WindowType;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lesson's browser chat client, unchanged (it connects to {@code wss://example.com/chat}),
 * in headless Chromium against a TLS Switchboard server that serves the page from the same origin.
 */
class LessonBrowserChatTest {

    private static final String CHAT_PAGE = "https://example.com/chat.html";
    private static final String OPEN = "return socket.readyState === WebSocket.OPEN"
            + " && recorded.logs.includes('Connected to server')";

    @TempDir
    static Path certDir;
    static ExampleComCertificate certificate;
    static SwitchboardServer server;
    Browser browser;

    @BeforeAll
    static void startServer() throws Exception {
        certificate = ExampleComCertificate.generate(certDir);
        server = SwitchboardServer.start(tlsConfig());
    }

    static io.switchboard.server.ServerConfig tlsConfig() {
        return TestServers.loopback().tls(certificate.certPem, certificate.keyPem);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void openBrowser() throws Exception {
        browser = Browser.mappingExampleComTo(server.port());
    }

    @AfterEach
    void closeBrowser() {
        browser.close();
    }

    @Test
    void bothPagesDisplayTheBroadcastOfAChatMessageSentFromOne() {
        browser.driver.get(CHAT_PAGE);
        String pageA = browser.driver.getWindowHandle();
        browser.awaitTrue(OPEN);
        browser.driver.switchTo().newWindow(WindowType.TAB).get(CHAT_PAGE);
        String pageB = browser.driver.getWindowHandle();
        browser.awaitTrue(OPEN);

        browser.driver.switchTo().window(pageA);
        browser.js("sendMessage(arguments[0])", "Hello from page A ✓");

        for (String page : List.of(pageA, pageB)) {
            browser.driver.switchTo().window(page);
            browser.awaitTrue("return recorded.messages.length >= 1");
            List<Map<String, Object>> shown = browser.js("return recorded.messages");
            assertThat(shown).as("displayMessage calls on page %s", page)
                    .containsExactly(Map.of("from", "Rakibul", "message", "Hello from page A ✓"));
        }
    }

    @Test
    void pageThatClosesSeesCleanClose1000AndSendOnTheClosedSocketThrowsNothing() {
        browser.driver.get(CHAT_PAGE);
        browser.awaitTrue(OPEN);

        browser.js("socket.close(1000, 'leaving')");
        browser.awaitTrue("return socket.readyState === WebSocket.CLOSED");
        List<String> logs = browser.js("return recorded.logs");
        assertThat(logs).anySatisfy(line -> assertThat(line).startsWith("Disconnected: 1000"));

        // The lesson says send on a closed socket throws; browsers follow the WHATWG spec instead:
        // send() in CLOSING/CLOSED drops the data silently (only CONNECTING throws InvalidStateError),
        // which is why the lesson's sendMessage checks readyState first.
        String outcome = browser.js("try { socket.send('too late'); return 'no exception'; }"
                + " catch (e) { return e.name; }");
        assertThat(outcome).isEqualTo("no exception");
        // And the lesson's guarded sendMessage is a no-op rather than an error.
        String guarded = browser.js("try { sendMessage('after close'); return 'no exception'; }"
                + " catch (e) { return e.name; }");
        assertThat(guarded).isEqualTo("no exception");
    }

    @Test
    void sendBeforeTheHandshakeCompletesThrowsInvalidStateError() {
        browser.driver.get(CHAT_PAGE);
        browser.awaitTrue(OPEN);

        String outcome = browser.js("const early = new WebSocket('wss://example.com/echo');"
                + " try { early.send('too early'); return 'no exception'; }"
                + " catch (e) { return e.name; } finally { early.close(); }");

        assertThat(outcome).isEqualTo("InvalidStateError");
    }
}
