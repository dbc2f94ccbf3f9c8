package io.switchboard.bench.peer;

import io.switchboard.bench.peer.netty.NettyServer;

/** Plain Netty with its built-in WebSocket codec: the JVM baseline. */
public final class NettyPeer extends JvmPeer {

    @Override
    public String name() {
        return "netty";
    }

    @Override
    protected Class<?> mainClass() {
        return NettyServer.class;
    }
}
