package io.switchboard.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.SocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * RFC 6455 after the handshake, for either end: feeds received bytes to a {@link FrameParser},
 * answers pings and the close handshake, hands complete messages to a {@link WebSocketListener},
 * and is the {@link WebSocket} the application sends through (from any thread: sends hop onto the
 * event loop). Policies such as heartbeats and slow-consumer limits belong to whoever installs it.
 *
 * <p>Between messages an idle connection holds no buffer.
 *
 * <p>An installer may extend it to add its policies to the same pipeline entry (one handler and one
 * context per connection rather than two): the overrides must call the method they override.
 */
public class WebSocketProtocolHandler extends ChannelInboundHandlerAdapter implements WebSocket {

    /** How long a closing endpoint waits for the peer's close frame or TCP close before dropping it. */
    private static final long CLOSE_TIMEOUT_MILLIS = 3000;

    private final boolean server;
    private final long maxMessageSize;
    private final MessageBudget budget;
    private final DeflateParameters deflate;
    private final WebSocketListener listener;

    private ChannelHandlerContext ctx;
    private FrameParser parser;
    private MessageDeflater deflater;
    private ByteBuf cumulation;
    private volatile SessionState state = SessionState.CONNECTING;
    private Object attachment;

    private int closeCode = CloseCode.ABNORMAL;
    private String closeReason = "";
    private boolean pingOutstanding;
    private boolean inRead;
    private boolean flushPending;

    /**
     * @param server          true on the server side (expects masked frames, sends unmasked)
     * @param maxMessageSize  largest frame or reassembled message accepted; larger closes with 1009
     * @param deflate         permessage-deflate as the server agreed it (server side only), or null
     * @param listener        the application's callbacks
     */
    public WebSocketProtocolHandler(boolean server, long maxMessageSize, DeflateParameters deflate, WebSocketListener listener) {
        this(server, maxMessageSize, MessageBudget.UNLIMITED, deflate, listener);
    }

    /** A handler whose partly received messages take their memory from {@code budget}, shared with other connections. */
    public WebSocketProtocolHandler(boolean server, long maxMessageSize, MessageBudget budget, DeflateParameters deflate,
                                    WebSocketListener listener) {
        this.budget = budget;
        this.server = server;
        this.maxMessageSize = maxMessageSize;
        this.deflate = deflate;
        this.listener = listener;
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.parser = new FrameParser(server, maxMessageSize, budget, deflate, ctx.alloc(), new Frames());
        this.deflater = deflate == null ? null : deflate.newDeflater();
    }

    /**
     * Opens the connection once the handshake is complete and the HTTP handlers are gone from the
     * pipeline: calls {@link WebSocketListener#onOpen}, then decodes any frames that arrived with
     * or right behind the handshake. Call on the channel's event loop.
     */
    public void start() {
        if (state != SessionState.CONNECTING) {
            return;
        }
        state = SessionState.OPEN;
        try {
            listener.onOpen(this);
        } catch (Throwable t) {
            callbackFailed(t);
        }
        if (cumulation != null) {
            inRead = true;
            parseCumulation();
            inRead = false;
            ctx.flush();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        SessionState before = state;
        state = SessionState.CLOSED;
        releaseBuffers();
        if (deflater != null) {
            deflater.close();
        }
        if (before != SessionState.CLOSED) {
            // The code of the close handshake (received, or sent by this end); 1006 when there was none.
            boolean handshake = before.isClosing();
            int code = handshake ? closeCode : CloseCode.ABNORMAL;
            String reason = handshake ? closeReason : "";
            try {
                listener.onClosed(this, code, reason);
            } catch (Throwable t) {
                listener.onFailure(this, t);
            }
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseBuffers();
    }

    private void releaseBuffers() {
        parser.close();
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        try {
            listener.onFailure(this, cause);
        } finally {
            ctx.close();
        }
    }

    // ---------------------------------------------------------------- reading

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        // Anything from the peer proves it alive, not only the pong: a pong queued behind a large
        // message arrives late, but the message's bytes arrive in time.
        pingOutstanding = false;
        if (parser.isClosed()) {
            in.release();
            return;
        }
        cumulation = cumulation == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
        if (state == SessionState.CONNECTING) {
            return; // frames sent right behind the handshake wait for start()
        }
        inRead = true;
        parseCumulation();
    }

    private void parseCumulation() {
        try {
            parser.parse(cumulation);
        } catch (Throwable t) {
            callbackFailed(t);
        }
        if (cumulation != null) {
            if (!cumulation.isReadable() || parser.isClosed()) {
                // Nothing is read after a close frame or a protocol error.
                cumulation.release();
                cumulation = null;
            } else {
                cumulation.discardSomeReadBytes();
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        inRead = false;
        if (flushPending) {
            flushPending = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    /** After both close frames: the server closes TCP at once; a client gives the server time to do it. */
    private void finishClose() {
        if (server) {
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.flush();
            closeAfterTimeout();
        }
    }

    private void closeAfterTimeout() {
        Channel channel = ctx.channel();
        ScheduledFuture<?> timeout = ctx.executor().schedule(() -> {
            channel.close();
        }, CLOSE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(f -> timeout.cancel(false));
    }

    private void callbackFailed(Throwable t) {
        try {
            listener.onFailure(this, t);
        } finally {
            if (state == SessionState.OPEN) {
                close(CloseCode.INTERNAL_ERROR, "internal error");
            }
        }
    }

    /** What the parser found, applied to this connection: the listener hears of messages only while it is open. */
    private final class Frames implements FrameParser.Events {

        @Override
        public void onText(ByteBuf utf8) {
            deliver(true, utf8);
        }

        @Override
        public void onBinary(ByteBuf data) {
            deliver(false, data);
        }

        /** Messages that arrive after this end sent its close frame are dropped. */
        private void deliver(boolean text, ByteBuf payload) {
            if (state != SessionState.OPEN) {
                return;
            }
            try {
                if (text) {
                    listener.onText(WebSocketProtocolHandler.this, payload);
                } else {
                    listener.onBinary(WebSocketProtocolHandler.this, payload);
                }
            } catch (Throwable t) {
                callbackFailed(t);
            }
        }

        @Override
        public void onPing(ByteBuf payload) {
            if (!state.isCloseSent()) {
                writeFrame(Opcode.PONG, payload.retain());
                flushSoon();
            }
        }

        @Override
        public void onPong(ByteBuf payload) {
            try {
                listener.onPong(WebSocketProtocolHandler.this, payload);
            } catch (Throwable t) {
                callbackFailed(t);
            }
        }

        @Override
        public void onClose(int code, String reason) {
            state = state.closeReceived();
            closeCode = code;
            closeReason = reason;
            try {
                listener.onClosing(WebSocketProtocolHandler.this, code, reason);
            } catch (Throwable t) {
                listener.onFailure(WebSocketProtocolHandler.this, t);
            }
            if (!state.isCloseSent()) {
                // Echo the peer's code and reason (RFC 6455 section 5.5.1), so both ends report the same
                // close; an empty close (1005, which is never sent) is answered with an empty close.
                state = state.closeSent();
                ByteBuf reply = code != CloseCode.NO_STATUS ? WebSocketProtocol.closePayload(ctx.alloc(), code, reason) : Unpooled.EMPTY_BUFFER;
                writeFrame(Opcode.CLOSE, reply);
            }
            finishClose();
        }

        /** Protocol violation by the peer: send a close frame with {@code code}, then drop the connection. */
        @Override
        public void onProtocolError(int code, String reason) {
            closeCode = code;
            closeReason = reason;
            if (!state.isCloseSent()) {
                state = state.closeSent();
                writeFrame(Opcode.CLOSE, WebSocketProtocol.closePayload(ctx.alloc(), code, reason));
            }
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    // ---------------------------------------------------------------- writing

    private void writeFrame(int opcode, ByteBuf payload) {
        ctx.write(FrameWriter.encode(ctx.alloc(), opcode, true, payload, !server), ctx.voidPromise());
    }

    /** Flush now, or at the end of the current read batch when called from inside one. */
    private void flushSoon() {
        if (inRead) {
            flushPending = true;
        } else {
            ctx.flush();
        }
    }

    @Override
    public void sendText(String text) {
        sendText(ByteBufUtil.writeUtf8(ctx.alloc(), text));
    }

    @Override
    public void sendText(ByteBuf utf8) {
        sendMessage(Opcode.TEXT, utf8);
    }

    @Override
    public void sendBinary(ByteBuf data) {
        sendMessage(Opcode.BINARY, data);
    }

    private void sendMessage(int opcode, ByteBuf payload) {
        SessionState now = state;
        if (now != SessionState.OPEN) {
            payload.release();
            throw new IllegalStateException("WebSocket is not open (readyState " + now.readyState() + ")");
        }
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> {
                if (state == SessionState.OPEN) {
                    sendMessage(opcode, payload);
                } else {
                    payload.release();
                }
            });
            return;
        }
        ByteBuf frame;
        if (deflater != null && payload.readableBytes() >= deflate.threshold()) {
            ByteBuf compressed = deflater.deflate(ctx.alloc(), payload);
            payload.release();
            frame = FrameWriter.encode(ctx.alloc(), opcode, true, 4, compressed, !server);
        } else {
            frame = FrameWriter.encode(ctx.alloc(), opcode, true, payload, !server);
        }
        ctx.write(frame, ctx.voidPromise());
        flushSoon();
    }

    @Override
    public boolean writeEncoded(ByteBuf frame) {
        if (state != SessionState.OPEN) {
            frame.release();
            return false;
        }
        ctx.write(frame, ctx.voidPromise());
        return true;
    }

    @Override
    public void flush() {
        ctx.flush();
    }

    @Override
    public void batch(Runnable sends) {
        if (inRead) {
            sends.run(); // channelReadComplete flushes
            return;
        }
        inRead = true;
        try {
            sends.run();
        } finally {
            inRead = false;
            if (flushPending) {
                flushPending = false;
                ctx.flush();
            }
        }
    }

    @Override
    public void ping(ByteBuf payload) {
        if (payload.readableBytes() > WebSocketProtocol.MAX_CONTROL_PAYLOAD) {
            payload.release();
            throw new IllegalArgumentException("ping payload over 125 bytes");
        }
        if (state != SessionState.OPEN) {
            payload.release();
            return;
        }
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> ping(payload));
            return;
        }
        pingOutstanding = true;
        writeFrame(Opcode.PING, payload);
        flushSoon();
    }

    /** Whether a ping sent by {@link #ping} is still unanswered: nothing at all has arrived from the peer since. */
    public boolean pingOutstanding() {
        return pingOutstanding;
    }

    @Override
    public void close(int code, String reason) {
        if (!CloseCode.isValidOnWire(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent");
        }
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> close(code, reason));
            return;
        }
        if (state != SessionState.OPEN && state != SessionState.CLOSE_RECEIVED) {
            return;
        }
        state = state.closeSent();
        closeCode = code;
        closeReason = reason;
        writeFrame(Opcode.CLOSE, WebSocketProtocol.closePayload(ctx.alloc(), code, reason));
        ctx.flush();
        if (state == SessionState.CLOSE_EXCHANGED) {
            finishClose();
        } else {
            closeAfterTimeout();
        }
    }

    @Override
    public void terminate(int code, String reason) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> terminate(code, reason));
            return;
        }
        if (state == SessionState.CLOSED) {
            return;
        }
        closeCode = code;
        closeReason = reason;
        if (!state.isCloseSent()) {
            state = state.closeSent();
            writeFrame(Opcode.CLOSE, WebSocketProtocol.closePayload(ctx.alloc(), code, reason));
        }
        parser.close();
        // The close frame queues behind what is already buffered; a peer that does not read it in time is cut off.
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        closeAfterTimeout();
    }

    @Override
    public ReadyState readyState() {
        return state.readyState();
    }

    @Override
    public EventExecutor executor() {
        return ctx.executor();
    }

    @Override
    public ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    @Override
    public SocketAddress remoteAddress() {
        return ctx.channel().remoteAddress();
    }

    @Override
    public Channel channel() {
        return ctx.channel();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T attachment() {
        return (T) attachment;
    }

    @Override
    public void attach(Object attachment) {
        this.attachment = attachment;
    }
}
