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
import io.netty.util.concurrent.ScheduledFuture;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * RFC 6455 after the handshake, for either end: decodes frames straight from the receive buffer
 * (unmasking in place, eight bytes at a time), validates as bytes arrive (UTF-8 fails fast),
 * reassembles fragments, answers pings and the close handshake, and hands complete messages to a
 * {@link WebSocketListener}. It is also the {@link WebSocket} the application sends through.
 *
 * <p>A single-frame message that arrived whole is passed on as a slice of the receive buffer, with
 * no copy. Between messages an idle connection holds no buffer.
 */
public final class WebSocketProtocolHandler extends ChannelInboundHandlerAdapter implements WebSocket {

    /** How long a closing endpoint waits for the peer's close frame or TCP close before dropping it. */
    private static final long CLOSE_TIMEOUT_MILLIS = 3000;

    private static final int READ_HEADER = 0;
    private static final int READ_PAYLOAD = 1;
    private static final int DISCARD = 2;

    private final boolean server;
    private final long maxMessageSize;
    private final PerMessageDeflate deflate;
    private final WebSocketListener listener;

    private ChannelHandlerContext ctx;
    private ByteBuf cumulation;
    private volatile ReadyState state = ReadyState.CONNECTING;
    private Object attachment;

    // The frame being read.
    private int readState = READ_HEADER;
    private int frameOpcode;
    private boolean frameFin;
    private boolean frameMasked;
    private int frameMask;
    private long frameRemaining;
    private long frameOffset;

    // The message being reassembled (opcode 0: none).
    private int messageOpcode;
    private boolean messageCompressed;
    private ByteBuf message;
    private long messageSize;
    private int utf8State;

    private boolean closeSent;
    private boolean closeReceived;
    private int closeCode = CloseCode.ABNORMAL;
    private String closeReason = "";
    private boolean pingOutstanding;
    private boolean inRead;
    private boolean flushPending;
    /** The slow-consumer rule this connection follows; null: none. */
    private SlowConsumerGrace slowConsumers;
    /** Pending slow-consumer check while the channel is unwritable; null otherwise. */
    private ScheduledFuture<?> slowConsumerCheck;

    /**
     * @param server          true on the server side (expects masked frames, sends unmasked)
     * @param maxMessageSize  largest frame or reassembled message accepted; larger closes with 1009
     * @param deflate         negotiated permessage-deflate, or null
     * @param listener        the application's callbacks
     */
    public WebSocketProtocolHandler(boolean server, long maxMessageSize, PerMessageDeflate deflate, WebSocketListener listener) {
        this.server = server;
        this.maxMessageSize = maxMessageSize;
        this.deflate = deflate;
        this.listener = listener;
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Opens the connection once the handshake is complete and the HTTP handlers are gone from the
     * pipeline: calls {@link WebSocketListener#onOpen}, then decodes any frames that arrived with
     * or right behind the handshake. Call on the channel's event loop.
     */
    public void start() {
        if (state != ReadyState.CONNECTING) {
            return;
        }
        state = ReadyState.OPEN;
        try {
            listener.onOpen(this);
        } catch (Throwable t) {
            callbackFailed(t);
        }
        if (cumulation != null) {
            inRead = true;
            channelRead0();
            inRead = false;
            ctx.flush();
        }
    }

    /**
     * Closes the connection with 1008 once its unsent bytes stay over the channel's high-water mark
     * (it turned unwritable) for {@code rule}'s grace: a slow consumer costs its own connection, never
     * the server's memory. Meanwhile nothing more is read from it, so a peer that keeps sending
     * without reading the replies (echoes, errors) is held back by TCP. A zero grace: never.
     */
    public void closeSlowConsumers(SlowConsumerGrace rule) {
        this.slowConsumers = rule.enabled() ? rule : null;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (slowConsumers != null) {
            ctx.channel().config().setAutoRead(ctx.channel().isWritable());
            slowConsumerCheck = slowConsumers.writabilityChanged(ctx.channel(), slowConsumerCheck,
                    () -> terminate(CloseCode.POLICY_VIOLATION, "slow consumer: outbound buffer stayed over its limit"));
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        SlowConsumerGrace.cancel(slowConsumerCheck);
        slowConsumerCheck = null;
        ReadyState before = state;
        state = ReadyState.CLOSED;
        releaseBuffers();
        if (deflate != null) {
            deflate.close();
        }
        if (before != ReadyState.CLOSED) {
            // The code of the close handshake (received, or sent by this end); 1006 when there was none.
            boolean handshake = closeReceived || closeSent;
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
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        if (message != null) {
            message.release();
            message = null;
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
        if (readState == DISCARD) {
            in.release();
            return;
        }
        cumulation = cumulation == null ? in : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), cumulation, in);
        if (state == ReadyState.CONNECTING) {
            return; // frames sent right behind the handshake wait for start()
        }
        inRead = true;
        channelRead0();
    }

    private void channelRead0() {
        try {
            decode();
        } catch (Throwable t) {
            callbackFailed(t);
        }
        if (cumulation != null) {
            if (!cumulation.isReadable()) {
                cumulation.release();
                cumulation = null;
            } else if (readState != DISCARD) {
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

    private void decode() {
        ByteBuf in = cumulation;
        while (readState != DISCARD && in != null && in.isReadable()) {
            if (readState == READ_HEADER) {
                if (!readHeader(in)) {
                    return;
                }
            } else if (Opcode.isControl(frameOpcode)) {
                if (in.readableBytes() < frameRemaining) {
                    return;
                }
                ByteBuf payload = in.readSlice((int) frameRemaining);
                if (frameMasked) {
                    FrameWriter.mask(payload, payload.readerIndex(), payload.readableBytes(), frameMask);
                }
                readState = READ_HEADER;
                onControlFrame(frameOpcode, payload);
            } else {
                readDataPayload(in);
            }
            in = cumulation;
        }
        // A control frame with an empty payload or data frame with no payload completes with no bytes left.
        if (readState == READ_PAYLOAD && frameRemaining == 0) {
            if (Opcode.isControl(frameOpcode)) {
                readState = READ_HEADER;
                onControlFrame(frameOpcode, Unpooled.EMPTY_BUFFER);
            } else {
                readDataPayload(Unpooled.EMPTY_BUFFER);
            }
        }
    }

    /** Parses and checks one frame header; false when more bytes are needed. */
    private boolean readHeader(ByteBuf in) {
        int readable = in.readableBytes();
        if (readable < 2) {
            return false;
        }
        int index = in.readerIndex();
        int b0 = in.getUnsignedByte(index);
        int b1 = in.getUnsignedByte(index + 1);
        boolean masked = (b1 & 0x80) != 0;
        int length7 = b1 & 0x7F;
        int headerLength = 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0) + (masked ? 4 : 0);
        if (readable < headerLength) {
            return false;
        }
        boolean fin = (b0 & 0x80) != 0;
        int rsv = (b0 >> 4) & 0x7;
        int opcode = b0 & 0x0F;
        long length = length7 == 126 ? in.getUnsignedShort(index + 2) : length7 == 127 ? in.getLong(index + 2) : length7;

        if (Opcode.isReserved(opcode)) {
            return fail(CloseCode.PROTOCOL_ERROR, "reserved opcode " + opcode);
        }
        boolean compressedStart = rsv == 4 && deflate != null && (opcode == Opcode.TEXT || opcode == Opcode.BINARY);
        if (rsv != 0 && !compressedStart) {
            return fail(CloseCode.PROTOCOL_ERROR, "reserved bits set without a negotiated extension");
        }
        if (masked != server) {
            return fail(CloseCode.PROTOCOL_ERROR, server ? "client frames must be masked" : "server frames must not be masked");
        }
        if (length < 0) {
            return fail(CloseCode.PROTOCOL_ERROR, "frame length over 2^63");
        }
        if (Opcode.isControl(opcode)) {
            if (!fin) {
                return fail(CloseCode.PROTOCOL_ERROR, "fragmented control frame");
            }
            if (length > 125) {
                return fail(CloseCode.PROTOCOL_ERROR, "control frame payload over 125 bytes");
            }
        } else if (opcode == Opcode.CONTINUATION) {
            if (messageOpcode == 0) {
                return fail(CloseCode.PROTOCOL_ERROR, "continuation frame without a message to continue");
            }
        } else if (messageOpcode != 0) {
            return fail(CloseCode.PROTOCOL_ERROR, "new data frame before the fragmented message ended");
        }
        if (!Opcode.isControl(opcode) && (opcode == Opcode.CONTINUATION ? messageSize : 0) + length > maxMessageSize) {
            return fail(CloseCode.MESSAGE_TOO_BIG, "message exceeds " + maxMessageSize + " bytes");
        }

        in.skipBytes(headerLength);
        frameOpcode = opcode;
        frameFin = fin;
        frameMasked = masked;
        frameMask = masked ? in.getInt(in.readerIndex() - 4) : 0;
        frameRemaining = length;
        frameOffset = 0;
        readState = READ_PAYLOAD;
        if (opcode == Opcode.TEXT || opcode == Opcode.BINARY) {
            messageOpcode = opcode;
            messageCompressed = compressedStart;
            messageSize = 0;
            utf8State = Utf8Validator.ACCEPT;
        }
        return true;
    }

    /** Consumes what is available of a data frame's payload: unmask, validate, collect, deliver. */
    private void readDataPayload(ByteBuf in) {
        int available = (int) Math.min(in.readableBytes(), frameRemaining);
        int index = in.readerIndex();
        if (frameMasked && available > 0) {
            FrameWriter.mask(in, index, available, FrameWriter.rotate(frameMask, frameOffset));
        }
        if (messageOpcode == Opcode.TEXT && !messageCompressed && available > 0) {
            utf8State = Utf8Validator.validate(utf8State, in, index, available);
            if (utf8State == Utf8Validator.REJECT) {
                fail(CloseCode.INVALID_PAYLOAD, "invalid UTF-8 in text message");
                return;
            }
        }
        frameRemaining -= available;
        frameOffset += available;
        messageSize += available;
        boolean frameDone = frameRemaining == 0;
        boolean messageDone = frameDone && frameFin;
        if (messageDone && message == null) {
            // Zero-copy: the whole message is this one frame's bytes in the receive buffer.
            ByteBuf payload = in.readRetainedSlice(available);
            readState = READ_HEADER;
            deliver(payload);
            return;
        }
        if (available > 0) {
            if (message == null) {
                message = ctx.alloc().buffer((int) Math.min(Math.max(available, frameRemaining + available), 64 * 1024));
            }
            message.writeBytes(in, index, available);
            in.skipBytes(available);
        }
        if (frameDone) {
            readState = READ_HEADER;
            if (messageDone) {
                ByteBuf payload = message;
                message = null;
                deliver(payload);
            }
        }
    }

    /** A complete message: inflate if compressed, finish UTF-8 checking, hand to the listener. */
    private void deliver(ByteBuf payload) {
        int opcode = messageOpcode;
        messageOpcode = 0;
        if (messageCompressed) {
            ByteBuf inflated;
            try {
                inflated = deflate.inflate(ctx.alloc(), payload, maxMessageSize);
            } catch (PerMessageDeflate.TooBigException e) {
                fail(CloseCode.MESSAGE_TOO_BIG, "inflated message exceeds " + maxMessageSize + " bytes");
                return;
            } catch (java.util.zip.DataFormatException e) {
                fail(CloseCode.INVALID_PAYLOAD, "invalid deflate data");
                return;
            } finally {
                payload.release();
            }
            payload = inflated;
            if (opcode == Opcode.TEXT && !Utf8Validator.isValid(payload)) {
                payload.release();
                fail(CloseCode.INVALID_PAYLOAD, "invalid UTF-8 in text message");
                return;
            }
        } else if (opcode == Opcode.TEXT && utf8State != Utf8Validator.ACCEPT) {
            payload.release();
            fail(CloseCode.INVALID_PAYLOAD, "text message ends inside a UTF-8 sequence");
            return;
        }
        if (closeSent || state != ReadyState.OPEN) {
            payload.release();
            return;
        }
        try {
            if (opcode == Opcode.TEXT) {
                listener.onText(this, payload);
            } else {
                listener.onBinary(this, payload);
            }
        } catch (Throwable t) {
            callbackFailed(t);
        } finally {
            payload.release();
        }
    }

    private void onControlFrame(int opcode, ByteBuf payload) {
        switch (opcode) {
            case Opcode.PING -> {
                if (!closeSent) {
                    writeFrame(Opcode.PONG, payload.retain());
                    flushSoon();
                }
            }
            case Opcode.PONG -> {
                try {
                    listener.onPong(this, payload);
                } catch (Throwable t) {
                    callbackFailed(t);
                }
            }
            case Opcode.CLOSE -> onCloseFrame(payload);
            default -> throw new IllegalStateException("not a control opcode: " + opcode);
        }
    }

    private void onCloseFrame(ByteBuf payload) {
        int code = CloseCode.NO_STATUS;
        String reason = "";
        int length = payload.readableBytes();
        if (length == 1) {
            fail(CloseCode.PROTOCOL_ERROR, "close frame with a 1-byte payload");
            return;
        }
        if (length >= 2) {
            code = payload.getUnsignedShort(payload.readerIndex());
            if (!CloseCode.isValidOnWire(code)) {
                fail(CloseCode.PROTOCOL_ERROR, "invalid close code " + code);
                return;
            }
            if (Utf8Validator.validate(Utf8Validator.ACCEPT, payload, payload.readerIndex() + 2, length - 2) != Utf8Validator.ACCEPT) {
                fail(CloseCode.INVALID_PAYLOAD, "invalid UTF-8 in close reason");
                return;
            }
            reason = payload.toString(payload.readerIndex() + 2, length - 2, StandardCharsets.UTF_8);
        }
        closeReceived = true;
        closeCode = code;
        closeReason = reason;
        readState = DISCARD;
        releaseMessage();
        if (state == ReadyState.OPEN) {
            state = ReadyState.CLOSING;
        }
        try {
            listener.onClosing(this, code, reason);
        } catch (Throwable t) {
            listener.onFailure(this, t);
        }
        if (!closeSent) {
            // Echo the peer's code and reason (RFC 6455 section 5.5.1), so both ends report the same
            // close; an empty close is answered with an empty close.
            closeSent = true;
            ByteBuf reply = length >= 2 ? closePayload(ctx.alloc(), code, reason) : Unpooled.EMPTY_BUFFER;
            writeFrame(Opcode.CLOSE, reply);
        }
        finishClose();
    }

    private void releaseMessage() {
        if (message != null) {
            message.release();
            message = null;
        }
        messageOpcode = 0;
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

    /** Protocol violation by the peer: send a close frame with {@code code}, then drop the connection. */
    private boolean fail(int code, String reason) {
        readState = DISCARD;
        releaseMessage();
        if (cumulation != null) {
            cumulation.skipBytes(cumulation.readableBytes());
        }
        if (state == ReadyState.OPEN) {
            state = ReadyState.CLOSING;
        }
        closeCode = code;
        closeReason = reason;
        if (!closeSent) {
            closeSent = true;
            writeFrame(Opcode.CLOSE, closePayload(ctx.alloc(), code, reason));
        }
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        return false;
    }

    private void callbackFailed(Throwable t) {
        try {
            listener.onFailure(this, t);
        } finally {
            if (state == ReadyState.OPEN) {
                close(CloseCode.INTERNAL_ERROR, "internal error");
            }
        }
    }

    // ---------------------------------------------------------------- writing

    /** A close frame's payload: the code, then the reason cut to fit 125 bytes on a UTF-8 boundary. */
    public static ByteBuf closePayload(ByteBufAllocator alloc, int code, String reason) {
        byte[] bytes = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(bytes.length, 123);
        while (length > 0 && length < bytes.length && (bytes[length] & 0xC0) == 0x80) {
            length--;
        }
        ByteBuf payload = alloc.buffer(2 + length);
        payload.writeShort(code);
        payload.writeBytes(bytes, 0, length);
        return payload;
    }

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

    private void checkOpen() {
        if (state != ReadyState.OPEN) {
            throw new IllegalStateException("WebSocket is not open (readyState " + state + ")");
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
        if (state != ReadyState.OPEN || closeSent) {
            payload.release();
            checkOpen();
            throw new IllegalStateException("WebSocket is closing");
        }
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> {
                if (state == ReadyState.OPEN && !closeSent) {
                    sendMessage(opcode, payload);
                } else {
                    payload.release();
                }
            });
            return;
        }
        ByteBuf frame;
        if (deflate != null && payload.readableBytes() >= deflate.threshold()) {
            ByteBuf compressed = deflate.deflate(ctx.alloc(), payload);
            payload.release();
            frame = FrameWriter.encode(ctx.alloc(), opcode, true, 4, compressed, !server);
        } else {
            frame = FrameWriter.encode(ctx.alloc(), opcode, true, payload, !server);
        }
        ctx.write(frame, ctx.voidPromise());
        flushSoon();
    }

    /**
     * Writes an already encoded frame (see {@link FrameWriter#encodeUnmasked}) without flushing;
     * the broadcast path uses it to send the same bytes to many connections. Returns false (and
     * releases the frame) when the connection is not open.
     */
    public boolean writeEncoded(ByteBuf frame) {
        if (state != ReadyState.OPEN || closeSent) {
            frame.release();
            return false;
        }
        ctx.write(frame, ctx.voidPromise());
        return true;
    }

    /** Flushes what {@link #writeEncoded} queued. */
    public void flush() {
        ctx.flush();
    }

    @Override
    public void ping(ByteBuf payload) {
        if (payload.readableBytes() > 125) {
            payload.release();
            throw new IllegalArgumentException("ping payload over 125 bytes");
        }
        if (state != ReadyState.OPEN || closeSent) {
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
        if (closeSent || state == ReadyState.CLOSED || state == ReadyState.CONNECTING) {
            return;
        }
        closeSent = true;
        closeCode = code;
        closeReason = reason;
        state = ReadyState.CLOSING;
        writeFrame(Opcode.CLOSE, closePayload(ctx.alloc(), code, reason));
        ctx.flush();
        if (closeReceived) {
            finishClose();
        } else {
            closeAfterTimeout();
        }
    }

    /**
     * Ends the connection without a closing handshake (slow consumers, dead peers): sends a close
     * frame with {@code code}, closes TCP once it is written, and at the latest after a timeout.
     */
    public void terminate(int code, String reason) {
        if (!ctx.executor().inEventLoop()) {
            ctx.executor().execute(() -> terminate(code, reason));
            return;
        }
        if (state == ReadyState.CLOSED) {
            return;
        }
        closeCode = code;
        closeReason = reason;
        if (!closeSent) {
            closeSent = true;
            state = ReadyState.CLOSING;
            writeFrame(Opcode.CLOSE, closePayload(ctx.alloc(), code, reason));
        }
        readState = DISCARD;
        // The close frame queues behind what is already buffered; a peer that does not read it in time is cut off.
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        closeAfterTimeout();
    }

    @Override
    public ReadyState readyState() {
        return state;
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
