package io.switchboard.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;

import java.net.SocketAddress;

/**
 * One open WebSocket connection, as either end sees it. Sending when the connection is not
 * {@link ReadyState#OPEN} throws {@link IllegalStateException}, as the browser API's
 * {@code send} throws {@code InvalidStateError}. Every method may be called from any thread;
 * the work runs on the connection's {@link #executor()}.
 */
public interface WebSocket {

    /** Sends a text (type {@code 0x1}) message. */
    void sendText(String text);

    /** Sends a text (type {@code 0x1}) message from UTF-8 bytes, taking ownership of {@code utf8}. */
    void sendText(ByteBuf utf8);

    /** Sends a binary (type {@code 0x2}) message, taking ownership of {@code data}. */
    void sendBinary(ByteBuf data);

    /**
     * Queues an already encoded frame (see {@link FrameWriter}) without flushing, taking ownership
     * of {@code frame}; the broadcast path sends the same bytes to many connections this way. Call on
     * the {@link #executor()}. Returns false (and releases the frame) when the connection is not open.
     */
    boolean writeEncoded(ByteBuf frame);

    /** Sends what {@link #writeEncoded} queued. Call on the {@link #executor()}. */
    void flush();

    /**
     * Runs {@code sends} (calls of the send methods) and flushes once after them instead of once per
     * message, as the messages sent while reading a batch of frames are: replies that complete
     * together go out in one write. Call on the {@link #executor()}.
     */
    default void batch(Runnable sends) {
        sends.run();
    }

    /** Sends a ping (type {@code 0x9}); the peer answers with a pong carrying the same (at most 125) bytes. */
    void ping(ByteBuf payload);

    /**
     * Starts the closing handshake with a status code and a reason (at most 123 UTF-8 bytes).
     * A no-op when already closing or closed.
     */
    void close(int code, String reason);

    /**
     * Ends the connection without waiting for the peer's close frame (slow consumers, dead peers):
     * sends a close frame with {@code code}, stops reading, and closes TCP once the frame is written,
     * or after a timeout when the peer does not read it.
     */
    void terminate(int code, String reason);

    /** The connection's state, numbered as in the browser API. */
    ReadyState readyState();

    /** The event loop this connection's callbacks run on and its writes happen on. */
    EventExecutor executor();

    /** The allocator for buffers this connection sends. */
    ByteBufAllocator alloc();

    /** The peer's address. */
    SocketAddress remoteAddress();

    /**
     * The Netty channel underneath, for the socket-level state a transport needs beyond the
     * protocol: its outbound backlog (backpressure) and when TCP closes.
     */
    Channel channel();

    /** The application's per-connection object ({@link #attach}), or null. */
    <T> T attachment();

    /** Attaches an application object to this connection. */
    void attach(Object attachment);
}
