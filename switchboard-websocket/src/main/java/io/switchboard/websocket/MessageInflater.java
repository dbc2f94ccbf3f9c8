package io.switchboard.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses whole permessage-deflate messages (RFC 7692 section 7.2.2), refusing any that would
 * grow past a limit. The zlib state is created on first use. A 32 KiB inflater reads every window size.
 */
final class MessageInflater {

    private final boolean noContextTakeover;
    private Inflater inflater;

    /** @param noContextTakeover the peer resets its compressor after each message, so this resets too */
    MessageInflater(boolean noContextTakeover) {
        this.noContextTakeover = noContextTakeover;
    }

    /**
     * Decompresses one whole message; the caller keeps ownership of {@code payload}.
     *
     * @throws TooBigException when the result would exceed {@code maxSize}
     */
    ByteBuf inflate(ByteBufAllocator alloc, ByteBuf payload, long maxSize) throws DataFormatException, TooBigException {
        if (inflater == null) {
            inflater = new Inflater(true);
        }
        ByteBuf out = alloc.heapBuffer(Math.max(64, payload.readableBytes() * 2));
        boolean ok = false;
        try {
            inflate(payload.nioBuffer(), out, maxSize);
            inflate(ByteBuffer.wrap(MessageDeflater.TAIL), out, maxSize);
            ok = true;
            return out;
        } finally {
            if (!ok) {
                out.release();
            }
            if (noContextTakeover) {
                inflater.reset();
            }
        }
    }

    private void inflate(ByteBuffer input, ByteBuf out, long maxSize) throws DataFormatException, TooBigException {
        inflater.setInput(input);
        while (input.hasRemaining() || !inflater.needsInput()) {
            out.ensureWritable(Math.max(1024, out.writableBytes() == 0 ? out.capacity() : 0));
            int n = inflater.inflate(out.array(), out.arrayOffset() + out.writerIndex(), out.writableBytes());
            out.writerIndex(out.writerIndex() + n);
            if (out.readableBytes() > maxSize) {
                throw new TooBigException();
            }
            if (n == 0 && (inflater.needsInput() || inflater.finished() || inflater.needsDictionary())) {
                break;
            }
        }
    }

    /** Frees the zlib state. */
    void close() {
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }

    /** An inflated message would be larger than allowed (close with 1009). */
    static final class TooBigException extends Exception {
        TooBigException() {
            super(null, null, false, false);
        }
    }
}
