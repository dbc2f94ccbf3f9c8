package io.switchboard.server.websocket;

import io.netty.handler.codec.http.FullHttpRequest;
import io.switchboard.websocket.WebSocketListener;

/**
 * A WebSocket endpoint: for each accepted handshake, the listener that will handle that
 * connection. Stateless endpoints return one shared listener.
 */
@FunctionalInterface
public interface WebSocketEndpoint {

    /** The listener for a connection opened by {@code handshake} (valid only during this call). */
    WebSocketListener accept(FullHttpRequest handshake);
}
