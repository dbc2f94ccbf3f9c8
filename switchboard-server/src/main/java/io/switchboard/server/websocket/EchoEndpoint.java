package io.switchboard.server.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.FullHttpRequest;
import io.switchboard.server.ServerConfig;
import io.switchboard.websocket.WebSocket;
import io.switchboard.websocket.WebSocketListener;

/**
 * {@code ws /echo}: every text and binary message comes back unchanged, as the same message
 * type. Replies written during one read are flushed together at the end of it.
 */
public final class EchoEndpoint implements WebSocketEndpoint, WebSocketListener {

    /** Conformance suites and benchmarks send messages up to 16 MiB here: {@code /echo} has its own limit. */
    @Override
    public long maxMessageSize(ServerConfig config) {
        return config.maxEchoMessageSize();
    }

    @Override
    public WebSocketListener accept(FullHttpRequest handshake) {
        return this;
    }

    @Override
    public void onText(WebSocket webSocket, ByteBuf utf8) {
        webSocket.sendText(utf8.retain());
    }

    @Override
    public void onBinary(WebSocket webSocket, ByteBuf data) {
        webSocket.sendBinary(data.retain());
    }
}
