package io.switchboard.server.websocket;

import io.netty.handler.codec.http.FullHttpRequest;
import io.switchboard.server.ServerConfig;
import io.switchboard.websocket.WebSocketListener;

/**
 * A WebSocket endpoint: for each accepted handshake, the listener that will handle that
 * connection. Stateless endpoints return one shared listener.
 */
@FunctionalInterface
public interface WebSocketEndpoint {

    /** The listener for a connection opened by {@code handshake} (valid only during this call). */
    WebSocketListener accept(FullHttpRequest handshake);

    /** The largest message this endpoint's connections may send under {@code config}; larger closes with 1009. */
    default long maxMessageSize(ServerConfig config) {
        return config.maxMessageSize();
    }
}
