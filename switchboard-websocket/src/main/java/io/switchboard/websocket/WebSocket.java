package io.switchboard.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * One open WebSocket connection, as either end sees it. Sending when the connection is not
 * {@link ReadyState#OPEN} throws {@link IllegalStateException}, as the browser API's
 * {@code send} throws {@code InvalidStateError}.
 */
public interface WebSocket {

    /** Sends a text (type {@code 0x1}) message. */
    void sendText(String text);

    /** Sends a text (type {@code 0x1}) message from UTF-8 bytes, taking ownership of {@code utf8}. */
    void sendText(ByteBuf utf8);

    /** Sends a binary (type {@code 0x2}) message, taking ownership of {@code data}. */
    void sendBinary(ByteBuf data);

    /** Sends a ping (type {@code 0x9}); the peer answers with a pong carrying the same (at most 125) bytes. */
    void ping(ByteBuf payload);

    /**
     * Starts the closing handshake with a status code and a reason (at most 123 UTF-8 bytes).
     * A no-op when already closing or closed.
     */
    void close(int code, String reason);

    /** The connection's state, numbered as in the browser API. */
    ReadyState readyState();

    /** The Netty channel underneath, for transports that write pre-encoded frames. */
    Channel channel();

    /** The application's per-connection object ({@link #attach}), or null. */
    <T> T attachment();

    /** Attaches an application object to this connection. */
    void attach(Object attachment);
}
