package io.switchboard.websocket;

import io.netty.buffer.ByteBuf;

/**
 * Callbacks for one WebSocket connection, on its event loop. Every method does nothing by default,
 * so a listener overrides only what it needs. Buffers passed in are released after the callback
 * returns: retain them to keep them.
 */
public interface WebSocketListener {

    /** The opening handshake completed; the connection is {@link ReadyState#OPEN}. */
    default void onOpen(WebSocket webSocket) { }

    /** A complete text (type {@code 0x1}) message arrived; {@code utf8} is validated UTF-8. */
    default void onText(WebSocket webSocket, ByteBuf utf8) { }

    /** A complete binary (type {@code 0x2}) message arrived. */
    default void onBinary(WebSocket webSocket, ByteBuf data) { }

    /** A pong (type {@code 0xA}) arrived, usually the answer to a ping. */
    default void onPong(WebSocket webSocket, ByteBuf payload) { }

    /** The peer sent a close frame (type {@code 0x8}); the closing handshake is being completed. */
    default void onClosing(WebSocket webSocket, int code, String reason) { }

    /**
     * The connection is closed. {@code code} is the code of the close handshake (the peer's, or
     * this end's when it closed or failed the connection), or 1006 when it dropped without one.
     */
    default void onClosed(WebSocket webSocket, int code, String reason) { }

    /** Something failed on this connection (an I/O error, an exception in a callback). */
    default void onFailure(WebSocket webSocket, Throwable cause) { }
}
