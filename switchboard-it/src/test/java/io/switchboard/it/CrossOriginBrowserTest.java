package io.switchboard.it;

import io.switchboard.server.SwitchboardServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page of another site, in a real browser, against a Switchboard server: by default it cannot
 * open {@code /ws} (the handshake is refused before any upgrade, so the page sees a failed socket),
 * and where its origin is allowed it can. The page comes from one server ({@code http://example.com},
 * mapped to it), the WebSocket goes to another on a different port: two origins.
 */
class CrossOriginBrowserTest {

    private static final String OPEN_SOCKET = """
            const done = arguments[arguments.length - 1];
            const socket = new WebSocket(arguments[0]);
            socket.onopen = () => { socket.close(1000); done("open"); };
            socket.onclose = (event) => done("closed " + event.code);
            """;

    private SwitchboardServer pages;
    private Browser browser;

    @BeforeEach
    void start() throws Exception {
        pages = SwitchboardServer.start(TestServers.loopback());
        browser = Browser.mappingExampleComTo(pages.port());
        browser.driver.get("http://example.com/skeleton.html");
    }

    @AfterEach
    void stop() {
        browser.close();
        pages.close();
    }

    private String openFromThePage(SwitchboardServer target) {
        return (String) browser.driver.executeAsyncScript(OPEN_SOCKET, "ws://127.0.0.1:" + target.port() + "/ws");
    }

    @Test
    void aPageOfAnotherOriginCannotOpenAWebSocket() {
        try (SwitchboardServer target = SwitchboardServer.start(TestServers.loopback())) {
            assertThat(openFromThePage(target)).isEqualTo("closed 1006");
        }
    }

    @Test
    void aPageOfAnAllowedOriginCan() {
        try (SwitchboardServer target = SwitchboardServer.start(TestServers.loopback().allowedOrigins(List.of("http://example.com")))) {
            assertThat(openFromThePage(target)).isEqualTo("open");
        }
    }

    @Test
    void thePagesOwnServerIsAlwaysOpenToIt() {
        assertThat((String) browser.driver.executeAsyncScript(OPEN_SOCKET, "ws://example.com/ws")).isEqualTo("open");
    }
}
