package io.switchboard.bench.peer;

import io.switchboard.bench.peer.jetty.JettyServer;

/** Jetty 12's WebSocket server. */
public final class JettyPeer extends JvmPeer {

    @Override
    public String name() {
        return "jetty";
    }

    @Override
    protected Class<?> mainClass() {
        return JettyServer.class;
    }
}
