package io.switchboard.server;

import io.switchboard.core.Hub;

/**
 * A running Switchboard server. {@code SwitchboardServer.start(new ServerConfig().port(0))}
 * binds (port 0 picks a free port), serves every endpoint, and returns; {@link #close()} shuts
 * down gracefully (stop accepting, close every WebSocket with 1001, drain, stop).
 */
public final class SwitchboardServer implements AutoCloseable {

    /** Starts a server with {@code config}; returns once it is listening. */
    public static SwitchboardServer start(ServerConfig config) {
        throw new UnsupportedOperationException("being written");
    }

    /** The port actually bound. */
    public int port() {
        throw new UnsupportedOperationException("being written");
    }

    /** The channel hub, for in-process publishing. */
    public Hub hub() {
        throw new UnsupportedOperationException("being written");
    }

    /** Graceful shutdown: close 1001 to every client, drain within the configured grace, stop. */
    @Override
    public void close() {
    }
}
