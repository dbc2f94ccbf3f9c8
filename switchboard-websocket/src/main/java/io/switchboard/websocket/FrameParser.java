package io.switchboard.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;

/**
 * Reads RFC 6455 frames from bytes, for either end, and reports complete messages and control
 * frames to its {@link Events}: no channel, no writing, no policy. It unmasks in place (eight bytes
 * at a time), validates UTF-8 as bytes arrive (an invalid text message fails at its first bad byte),
 * reassembles fragments and inflates permessage-deflate messages.
 *
 * <p>{@link #parse} consumes whole frames and the available part of a data frame's payload, and
 * leaves an incomplete header or control frame in the buffer for the next call. A single-frame
 * message that arrived whole is reported as a slice of the caller's buffer, with no copy; only a
 * fragmented or split message is collected into a buffer of its own.
 *
 * <p>A protocol violation is reported once, through {@link Events#onProtocolError}, after which the
 * parser reads nothing more; so is a close frame, through {@link Events#onClose}.
 */
public final class FrameParser {

    /**
     * What the parser found. Buffers are valid during the call only and released after it: retain
     * them to keep them. Each method runs inside {@link #parse}, which may continue after it.
     */
    public interface Events {

        /** A complete text (type {@code 0x1}) message; {@code utf8} is validated UTF-8. */
        void onText(ByteBuf utf8);

        /** A complete binary (type {@code 0x2}) message. */
        void onBinary(ByteBuf data);

        /** A ping (type {@code 0x9}), at most 125 bytes. */
        void onPing(ByteBuf payload);

        /** A pong (type {@code 0xA}), at most 125 bytes. */
        void onPong(ByteBuf payload);

        /**
         * A valid close frame (type {@code 0x8}); {@code code} is 1005 when it had no payload. The
         * parser reads nothing after it.
         */
        void onClose(int code, String reason);

        /**
         * The peer broke the protocol: {@code code} is 1002 (protocol error), 1007 (invalid payload)
         * or 1009 (too big). The parser reads nothing after it.
         */
        void onProtocolError(int code, String reason);
    }

    private enum State {
        /** Expecting the next frame's header. */
        HEADER,
        /** Inside a frame's payload. */
        PAYLOAD,
        /** Input shut: after a close frame, a protocol error or {@link #close()}. */
        CLOSED
    }

    private final boolean expectMasked;
    private final long maxMessageSize;
    private final ByteBufAllocator alloc;
    private final Events events;
    private MessageInflater inflater;

    private State state = State.HEADER;

    // The frame being read.
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
    private final MessageBudget budget;
    /** Bytes of the message being collected that are taken from {@link #budget}. */
    private long reserved;

    /**
     * @param expectMasked   true on the server side: every frame must be masked (false: none may be)
     * @param maxMessageSize largest frame or reassembled (and inflated) message accepted; larger is a 1009
     * @param deflate        permessage-deflate as the server agreed it (server side only; frames with RSV1 set
     *                       are compressed), or null
     * @param alloc          where fragmented messages are collected and compressed ones inflated
     * @param events         what the parser reports to
     */
    public FrameParser(boolean expectMasked, long maxMessageSize, DeflateParameters deflate, ByteBufAllocator alloc, Events events) {
        this(expectMasked, maxMessageSize, MessageBudget.UNLIMITED, deflate, alloc, events);
    }

    /**
     * A parser whose partly received messages take their memory from {@code budget}, shared with
     * other connections; a message that would exceed it is a 1013.
     */
    public FrameParser(boolean expectMasked, long maxMessageSize, MessageBudget budget, DeflateParameters deflate,
                       ByteBufAllocator alloc, Events events) {
        this.budget = budget;
        this.expectMasked = expectMasked;
        this.maxMessageSize = maxMessageSize;
        this.inflater = deflate == null ? null : deflate.newInflater();
        this.alloc = alloc;
        this.events = events;
    }

    /** Whether the parser has stopped reading: after a close frame, a protocol error or {@link #close()}. */
    public boolean isClosed() {
        return state == State.CLOSED;
    }

    /** Stops reading and frees a partly received message and the inflater; bytes fed later are ignored. */
    public void close() {
        state = State.CLOSED;
        releaseMessage();
        if (inflater != null) {
            inflater.close();
            inflater = null;
        }
    }

    /**
     * Reads what {@code in} holds, advancing its reader index past every byte consumed. Bytes of an
     * incomplete header or control frame stay in {@code in}; call again once more have arrived.
     */
    public void parse(ByteBuf in) {
        while (state != State.CLOSED) {
            if (state == State.HEADER) {
                if (!readHeader(in)) {
                    return;
                }
            } else if (Opcode.isControl(frameOpcode)) {
                if (in.readableBytes() < frameRemaining) {
                    return;
                }
                ByteBuf payload = in.readSlice((int) frameRemaining);
                if (frameMasked) {
                    WebSocketProtocol.mask(payload, payload.readerIndex(), payload.readableBytes(), frameMask);
                }
                state = State.HEADER;
                onControlFrame(payload);
            } else if (frameRemaining > 0 && !in.isReadable()) {
                return;
            } else {
                readDataPayload(in);
            }
        }
    }

    /** Parses and checks one frame header; false when more bytes are needed or the header is refused. */
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
            return protocolError(CloseCode.PROTOCOL_ERROR, "reserved opcode " + opcode);
        }
        boolean compressedStart = rsv == 4 && inflater != null && (opcode == Opcode.TEXT || opcode == Opcode.BINARY);
        if (rsv != 0 && !compressedStart) {
            return protocolError(CloseCode.PROTOCOL_ERROR, "reserved bits set without a negotiated extension");
        }
        if (masked != expectMasked) {
            return protocolError(CloseCode.PROTOCOL_ERROR, expectMasked ? "client frames must be masked" : "server frames must not be masked");
        }
        if (length < 0) {
            return protocolError(CloseCode.PROTOCOL_ERROR, "frame length over 2^63");
        }
        if (Opcode.isControl(opcode)) {
            if (!fin) {
                return protocolError(CloseCode.PROTOCOL_ERROR, "fragmented control frame");
            }
            if (length > WebSocketProtocol.MAX_CONTROL_PAYLOAD) {
                return protocolError(CloseCode.PROTOCOL_ERROR, "control frame payload over 125 bytes");
            }
        } else if (opcode == Opcode.CONTINUATION) {
            if (messageOpcode == 0) {
                return protocolError(CloseCode.PROTOCOL_ERROR, "continuation frame without a message to continue");
            }
        } else if (messageOpcode != 0) {
            return protocolError(CloseCode.PROTOCOL_ERROR, "new data frame before the fragmented message ended");
        }
        if (!Opcode.isControl(opcode) && (opcode == Opcode.CONTINUATION ? messageSize : 0) + length > maxMessageSize) {
            return protocolError(CloseCode.MESSAGE_TOO_BIG, "message exceeds " + maxMessageSize + " bytes");
        }

        in.skipBytes(headerLength);
        frameOpcode = opcode;
        frameFin = fin;
        frameMasked = masked;
        frameMask = masked ? in.getInt(in.readerIndex() - 4) : 0;
        frameRemaining = length;
        frameOffset = 0;
        state = State.PAYLOAD;
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
            WebSocketProtocol.mask(in, index, available, WebSocketProtocol.rotate(frameMask, frameOffset));
        }
        if (messageOpcode == Opcode.TEXT && !messageCompressed && available > 0) {
            utf8State = Utf8Validator.validate(utf8State, in, index, available);
            if (utf8State == Utf8Validator.REJECT) {
                protocolError(CloseCode.INVALID_PAYLOAD, "invalid UTF-8 in text message");
                return;
            }
        }
        frameRemaining -= available;
        frameOffset += available;
        messageSize += available;
        boolean frameDone = frameRemaining == 0;
        boolean messageDone = frameDone && frameFin;
        if (messageDone && message == null) {
            // Zero-copy: the whole message is this one frame's bytes in the caller's buffer.
            ByteBuf payload = in.readRetainedSlice(available);
            state = State.HEADER;
            deliver(payload);
            return;
        }
        if (available > 0) {
            if (!budget.reserve(available)) {
                protocolError(CloseCode.TRY_AGAIN_LATER, "the server holds too many partly received messages; try again later");
                return;
            }
            reserved += available;
            if (message == null) {
                message = alloc.buffer((int) Math.min(Math.max(available, frameRemaining + available), 64 * 1024));
            }
            message.writeBytes(in, index, available);
            in.skipBytes(available);
        }
        if (frameDone) {
            state = State.HEADER;
            if (messageDone) {
                ByteBuf payload = message;
                message = null;
                giveBack();
                deliver(payload);
            }
        }
    }

    /** A complete message: inflate if compressed, finish UTF-8 checking, report it; releases {@code payload}. */
    private void deliver(ByteBuf payload) {
        int opcode = messageOpcode;
        messageOpcode = 0;
        if (messageCompressed) {
            ByteBuf inflated;
            try {
                inflated = inflater.inflate(alloc, payload, maxMessageSize);
            } catch (MessageInflater.TooBigException e) {
                protocolError(CloseCode.MESSAGE_TOO_BIG, "inflated message exceeds " + maxMessageSize + " bytes");
                return;
            } catch (DataFormatException e) {
                protocolError(CloseCode.INVALID_PAYLOAD, "invalid deflate data");
                return;
            } finally {
                payload.release();
            }
            payload = inflated;
            if (opcode == Opcode.TEXT && !Utf8Validator.isValid(payload)) {
                payload.release();
                protocolError(CloseCode.INVALID_PAYLOAD, "invalid UTF-8 in text message");
                return;
            }
        } else if (opcode == Opcode.TEXT && utf8State != Utf8Validator.ACCEPT) {
            payload.release();
            protocolError(CloseCode.INVALID_PAYLOAD, "text message ends inside a UTF-8 sequence");
            return;
        }
        try {
            if (opcode == Opcode.TEXT) {
                events.onText(payload);
            } else {
                events.onBinary(payload);
            }
        } finally {
            payload.release();
        }
    }

    private void onControlFrame(ByteBuf payload) {
        switch (frameOpcode) {
            case Opcode.PING -> events.onPing(payload);
            case Opcode.PONG -> events.onPong(payload);
            case Opcode.CLOSE -> onCloseFrame(payload);
            default -> throw new IllegalStateException("not a control opcode: " + frameOpcode);
        }
    }

    private void onCloseFrame(ByteBuf payload) {
        int code = CloseCode.NO_STATUS;
        String reason = "";
        int length = payload.readableBytes();
        if (length == 1) {
            protocolError(CloseCode.PROTOCOL_ERROR, "close frame with a 1-byte payload");
            return;
        }
        if (length >= 2) {
            code = payload.getUnsignedShort(payload.readerIndex());
            if (!CloseCode.isValidOnWire(code)) {
                protocolError(CloseCode.PROTOCOL_ERROR, "invalid close code " + code);
                return;
            }
            if (Utf8Validator.validate(Utf8Validator.ACCEPT, payload, payload.readerIndex() + 2, length - 2) != Utf8Validator.ACCEPT) {
                protocolError(CloseCode.INVALID_PAYLOAD, "invalid UTF-8 in close reason");
                return;
            }
            reason = payload.toString(payload.readerIndex() + 2, length - 2, StandardCharsets.UTF_8);
        }
        state = State.CLOSED;
        releaseMessage();
        events.onClose(code, reason);
    }

    /** Stops reading and reports the violation; false, for {@link #readHeader}'s callers. */
    private boolean protocolError(int code, String reason) {
        state = State.CLOSED;
        releaseMessage();
        events.onProtocolError(code, reason);
        return false;
    }

    private void releaseMessage() {
        if (message != null) {
            message.release();
            message = null;
        }
        giveBack();
        messageOpcode = 0;
    }

    private void giveBack() {
        if (reserved > 0) {
            budget.release(reserved);
            reserved = 0;
        }
    }
}
