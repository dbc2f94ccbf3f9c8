package io.switchboard.client;

import io.switchboard.websocket.ReadyState;

import java.net.URI;
import java.nio.ByteBuffer;

/**
 * A client WebSocket with the browser's API: {@link #readyState()} goes CONNECTING, OPEN,
 * CLOSING, CLOSED, and sending when it is not OPEN throws {@link IllegalStateException}.
 * Methods may be called from any thread.
 */
public interface ClientWebSocket {

    /** The {@code ws://} or {@code wss://} URI this socket connects to. */
    URI uri();

    /** The connection's state, numbered as in the browser API. */
    ReadyState readyState();

    /** Sends a text (type {@code 0x1}) message; throws {@link IllegalStateException} unless OPEN. */
    void send(String text);

    /** Sends a binary (type {@code 0x2}) message; throws {@link IllegalStateException} unless OPEN. */
    void send(byte[] bytes);

    /** Sends a binary (type {@code 0x2}) message of the buffer's remaining bytes; throws {@link IllegalStateException} unless OPEN. */
    void send(ByteBuffer bytes);

    /**
     * Starts the closing handshake with a status code (1000, 3000-4999...) and a reason of at most
     * 123 UTF-8 bytes. While CONNECTING it abandons the connection (closed with 1006). A no-op
     * once CLOSING or CLOSED.
     */
    void close(int code, String reason);
}
