package io.switchboard.it;

import io.switchboard.server.SwitchboardServer;
import io.switchboard.testkit.ExampleComCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the lesson's browser code sees when the server goes away: a graceful shutdown closes every
 * WebSocket with 1001 (going away), which the page's close handler receives in {@code event.code}.
 * Each test owns its server, since each shuts it down.
 */
class LessonBrowserShutdownTest {

    @TempDir
    Path certDir;
    SwitchboardServer server;
    Browser browser;

    @BeforeEach
    void start() throws Exception {
        ExampleComCertificate certificate = ExampleComCertificate.generate(certDir);
        server = SwitchboardServer.start(TestServers.loopback().tls(certificate.certPem, certificate.keyPem));
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

    @Test
    void chatPageSeesClose1001WhenTheServerShutsDown() {
        browser.driver.get("https://example.com/chat.html");
        browser.awaitTrue("return socket.readyState === WebSocket.OPEN");

        server.close();

        browser.awaitTrue("return socket.readyState === WebSocket.CLOSED");
        List<String> logs = browser.js("return recorded.logs");
        assertThat(logs).anySatisfy(line -> assertThat(line).startsWith("Disconnected: 1001"));
    }

    @Test
    void lessonSkeletonGetsItsHelloEchoedAndReconnectsWith1001OnShutdown() {
        // The skeleton with its placeholder URL filled in: wss://example.com/echo.
        browser.driver.get("https://example.com/skeleton.html");
        browser.awaitTrue("return recorded.logs.includes('{\"type\":\"hello\"}')");

        server.close();

        browser.awaitTrue("return recorded.reconnects.length > 0");
        List<Long> codes = browser.js("return recorded.reconnects");
        assertThat(codes).containsExactly(1001L);
        List<String> logs = browser.js("return recorded.logs");
        assertThat(logs).as("onerror must not fire on a clean close").noneMatch(line -> line.contains("[error event]"));
    }
}
