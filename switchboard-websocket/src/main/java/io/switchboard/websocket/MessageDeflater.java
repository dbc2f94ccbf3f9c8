package io.switchboard.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.ByteBuffer;
import java.util.zip.Deflater;

/**
 * Compresses whole messages for permessage-deflate (RFC 7692 section 7.2.1). The zlib state is
 * created on first use, so a connection that never sends a large message holds none.
 *
 * <p>The JDK's zlib always compresses with a 32 KiB window. A smaller window is honoured by
 * compressing in pieces of that window's size, each ended by a full flush, which empties zlib's
 * dictionary: no back-reference reaches further than the window.
 */
final class MessageDeflater {

    /** The end of a sync (or full) flush, which RFC 7692 section 7.2.1 says to drop. */
    static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};
    private static final int MAX_WINDOW = 1 << 15;

    private final boolean noContextTakeover;
    private final int window;
    private Deflater deflater;

    /**
     * @param noContextTakeover reset after each message (no back-reference into earlier messages)
     * @param windowBits        how far back (2^bits bytes) a back-reference may reach, 8-15
     */
    MessageDeflater(boolean noContextTakeover, int windowBits) {
        this.noContextTakeover = noContextTakeover;
        this.window = 1 << windowBits;
    }

    /** Compresses one whole message; the caller keeps ownership of {@code payload}. */
    ByteBuf deflate(ByteBufAllocator alloc, ByteBuf payload) {
        if (deflater == null) {
            deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        }
        ByteBuffer input = payload.nioBuffer();
        ByteBuf out = alloc.heapBuffer(Math.max(64, payload.readableBytes() / 2 + 16));
        if (window >= MAX_WINDOW) {
            deflate(input, out, Deflater.SYNC_FLUSH);
        } else {
            // A full flush after each window's worth of input: nothing after it refers back before it.
            int end = input.limit();
            do {
                input.limit(Math.min(end, input.position() + window));
                deflate(input, out, Deflater.FULL_FLUSH);
            } while (input.limit() < end);
        }
        out.writerIndex(out.writerIndex() - TAIL.length);
        if (noContextTakeover) {
            deflater.reset();
        }
        return out;
    }

    private void deflate(ByteBuffer input, ByteBuf out, int flush) {
        deflater.setInput(input);
        while (true) {
            out.ensureWritable(64);
            int written = deflater.deflate(out.array(), out.arrayOffset() + out.writerIndex(), out.writableBytes(), flush);
            out.writerIndex(out.writerIndex() + written);
            if (!input.hasRemaining() && out.isWritable()) {
                break;
            }
        }
    }

    /** Frees the zlib state. */
    void close() {
        if (deflater != null) {
            deflater.end();
            deflater = null;
        }
    }
}
