package io.switchboard.client;

import java.nio.ByteBuffer;

/**
 * Callbacks for a {@link ClientWebSocket}, called on the connection's event loop, one at a time.
 * Every method does nothing by default, so a listener overrides only what it needs.
 * {@link #onClosed} is always the last call.
 */
public interface ClientListener {

    /** The server accepted the opening handshake; the connection is {@code OPEN}. */
    default void onOpen(ClientWebSocket webSocket) { }

    /** A text (type {@code 0x1}) message arrived. */
    default void onMessage(ClientWebSocket webSocket, String text) { }

    /** A binary (type {@code 0x2}) message arrived; the buffer is the listener's to keep. */
    default void onMessage(ClientWebSocket webSocket, ByteBuffer bytes) { }

    /** The server sent a close frame (type {@code 0x8}) with this code and reason; the connection is {@code CLOSING}. */
    default void onClosing(ClientWebSocket webSocket, int code, String reason) { }

    /**
     * The connection is {@code CLOSED}: {@code code} and {@code reason} are those of the close
     * handshake, or 1006 when it ended without one (TCP dropped, handshake failed).
     */
    default void onClosed(ClientWebSocket webSocket, int code, String reason) { }

    /**
     * Something failed: the opening handshake ({@link WebSocketHandshakeException}), a connect
     * error, an I/O error, or an exception thrown by this listener. {@link #onClosed} follows.
     */
    default void onFailure(ClientWebSocket webSocket, Throwable cause) { }
}
