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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

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
    void pageThatClosesSeesCleanClose1000AndTheServerLetsGoOfItsConnectionAlone() {
        browser.driver.get(CHAT_PAGE);
        String leaving = browser.driver.getWindowHandle();
        browser.awaitTrue(OPEN);
        browser.driver.switchTo().newWindow(WindowType.TAB).get(CHAT_PAGE);
        String staying = browser.driver.getWindowHandle();
        browser.awaitTrue(OPEN);
        awaitServer("both pages are the server's only WebSockets", () -> server.webSocketCount() == 2);

        browser.driver.switchTo().window(leaving);
        browser.js("socket.close(1000, 'leaving')");
        browser.awaitTrue("return socket.readyState === WebSocket.CLOSED");
        List<String> logs = browser.js("return recorded.logs");
        assertThat(logs).anySatisfy(line -> assertThat(line).startsWith("Disconnected: 1000"));
        awaitServer("the server closed the leaving page's connection", () -> server.webSocketCount() == 1);

        // The page that stays still chats: its message comes back to it through the server.
        browser.driver.switchTo().window(staying);
        browser.js("sendMessage(arguments[0])", "still here");
        browser.awaitTrue("return recorded.messages.length >= 1");
        List<Map<String, Object>> shown = browser.js("return recorded.messages");
        assertThat(shown).containsExactly(Map.of("from", "Rakibul", "message", "still here"));
    }

    @Test
    void aMessageSentTheMomentASocketOpensIsBroadcastToTheOtherPages() {
        browser.driver.get(CHAT_PAGE);
        browser.awaitTrue(OPEN);

        // The first frame follows the handshake at once: the server must already be listening for it.
        browser.js("const early = new WebSocket('wss://example.com/chat');"
                + " early.onopen = () => early.send(JSON.stringify({ type: 'chat', username: 'Early', message: 'sent in onopen' }));");

        browser.awaitTrue("return recorded.messages.length >= 1");
        List<Map<String, Object>> shown = browser.js("return recorded.messages");
        assertThat(shown).containsExactly(Map.of("from", "Early", "message", "sent in onopen"));
    }

    /** Waits until {@code condition} holds on the server side, failing after 20 s. */
    private static void awaitServer(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }
}
