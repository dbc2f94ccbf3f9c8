package io.switchboard.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;

/**
 * Bytes encoded once and written to many connections (a publication's frame or event, a
 * heartbeat): a direct buffer that is never released explicitly, so every write sends a
 * {@link ByteBuf#duplicate()} of it and the JDK frees it with its owner.
 */
public final class SharedBytes {

    private SharedBytes() {
    }

    /** {@code bytes} as a shared, unreleasable direct buffer; write duplicates of it. */
    public static ByteBuf of(byte[] bytes) {
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct));
    }
}
