package io.switchboard.it;

import io.switchboard.server.ServerConfig;
import io.switchboard.server.SwitchboardServer;

import java.io.IOException;

/**
 * A test server (serving the test pages) and a headless Chromium that reaches it only through a
 * {@link TcpRelay}, so a test can cut the browser's connections or hold its requests.
 */
final class RelayedBrowser implements AutoCloseable {

    final SwitchboardServer server;
    final TcpRelay relay;
    final Browser browser;

    private RelayedBrowser(SwitchboardServer server, TcpRelay relay, Browser browser) {
        this.server = server;
        this.relay = relay;
        this.browser = browser;
    }

    /** Starts a {@link TestServers#loopback()} server, a relay to it and a browser mapping example.com to the relay. */
    static RelayedBrowser start() throws IOException {
        return start(TestServers.loopback());
    }

    /** Starts a server with {@code config}, a relay to it and a browser mapping example.com to the relay. */
    static RelayedBrowser start(ServerConfig config) throws IOException {
        SwitchboardServer server = SwitchboardServer.start(config);
        TcpRelay relay = null;
        try {
            relay = new TcpRelay(server.port());
            return new RelayedBrowser(server, relay, Browser.mappingExampleComTo(relay.port()));
        } catch (IOException | RuntimeException e) {
            if (relay != null) {
                relay.close();
            }
            server.close();
            throw e;
        }
    }

    /** A backend publishing to the server directly, not through the relay. */
    Backend backend() {
        return new Backend("http://127.0.0.1:" + server.port());
    }

    @Override
    public void close() throws IOException {
        try {
            browser.close();
            relay.close();
        } finally {
            server.close();
        }
    }
}
