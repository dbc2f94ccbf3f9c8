package io.switchboard.it;

import io.switchboard.server.SwitchboardServer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link TestServers#loopback()} server for a whole test class:
 * {@code @RegisterExtension static final LoopbackServer server = new LoopbackServer();}.
 */
final class LoopbackServer implements BeforeAllCallback, AfterAllCallback {

    private SwitchboardServer server;

    @Override
    public void beforeAll(ExtensionContext context) {
        server = SwitchboardServer.start(TestServers.loopback());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** {@code ws://127.0.0.1:<port>} followed by {@code path}. */
    String webSocketUrl(String path) {
        return "ws://127.0.0.1:" + server.port() + path;
    }
}
