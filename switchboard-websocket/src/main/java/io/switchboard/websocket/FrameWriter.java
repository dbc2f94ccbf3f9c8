package io.switchboard.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Encodes RFC 6455 frames: the 2-14 byte header, then the payload, masked when a client sends.
 * Small payloads are copied next to their header so a frame is one buffer and one write; masking
 * is {@link WebSocketProtocol}'s, shared with the parser.
 */
public final class FrameWriter {

    /** Below this a payload is copied behind the header; above, header and payload are chained. */
    private static final int COPY_THRESHOLD = 1024;

    private FrameWriter() {
    }

    /** Header length for a payload of {@code length} bytes. */
    static int headerLength(long length, boolean masked) {
        int size = length <= 125 ? 2 : length <= 0xFFFF ? 4 : 10;
        return masked ? size + 4 : size;
    }

    /** Writes a frame header; {@code rsv} holds the three reserved bits (RSV1 = 4). */
    static void writeHeader(ByteBuf out, int opcode, boolean fin, int rsv, long length, boolean masked, int maskKey) {
        out.writeByte((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (length <= 125) {
            out.writeByte(maskBit | (int) length);
        } else if (length <= 0xFFFF) {
            out.writeByte(maskBit | 126);
            out.writeShort((int) length);
        } else {
            out.writeByte(maskBit | 127);
            out.writeLong(length);
        }
        if (masked) {
            out.writeInt(maskKey);
        }
    }

    /**
     * Encodes one frame around {@code payload}, which it takes ownership of (released or passed on).
     * A masked frame gets a fresh random key, as a client must use.
     */
    public static ByteBuf encode(ByteBufAllocator alloc, int opcode, boolean fin, ByteBuf payload, boolean masked) {
        return encode(alloc, opcode, fin, 0, payload, masked);
    }

    /** As {@link #encode(ByteBufAllocator, int, boolean, ByteBuf, boolean)} with reserved bits (RSV1 = 4 marks a compressed message). */
    public static ByteBuf encode(ByteBufAllocator alloc, int opcode, boolean fin, int rsv, ByteBuf payload, boolean masked) {
        int length = payload.readableBytes();
        int maskKey = masked ? WebSocketProtocol.newMaskKey() : 0;
        int headerLength = headerLength(length, masked);
        if (length <= COPY_THRESHOLD || masked) {
            ByteBuf frame = alloc.buffer(headerLength + length);
            writeHeader(frame, opcode, fin, rsv, length, masked, maskKey);
            int payloadIndex = frame.writerIndex();
            frame.writeBytes(payload, payload.readerIndex(), length);
            payload.release();
            if (masked) {
                WebSocketProtocol.mask(frame, payloadIndex, length, maskKey);
            }
            return frame;
        }
        ByteBuf header = alloc.buffer(headerLength);
        writeHeader(header, opcode, fin, rsv, length, false, 0);
        return alloc.compositeBuffer(2).addComponents(true, header, payload);
    }

    /** Encodes a frame into a heap array (encode-once broadcast: the same bytes go to every subscriber). */
    public static byte[] encodeUnmasked(int opcode, byte[] payload) {
        int headerLength = headerLength(payload.length, false);
        byte[] frame = new byte[headerLength + payload.length];
        frame[0] = (byte) (0x80 | opcode);
        if (payload.length <= 125) {
            frame[1] = (byte) payload.length;
        } else if (payload.length <= 0xFFFF) {
            frame[1] = 126;
            frame[2] = (byte) (payload.length >>> 8);
            frame[3] = (byte) payload.length;
        } else {
            frame[1] = 127;
            long length = payload.length;
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) (length >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, frame, headerLength, payload.length);
        return frame;
    }
}
