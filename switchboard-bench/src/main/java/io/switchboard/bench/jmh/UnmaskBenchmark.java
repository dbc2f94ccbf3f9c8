package io.switchboard.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.switchboard.websocket.WebSocketProtocol;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Unmasking a client frame's payload in place (XOR with the 4-byte key): Switchboard's
 * eight-bytes-at-a-time loop against the byte-at-a-time loop RFC 6455 section 5.3 describes.
 */
@State(Scope.Thread)
public class UnmaskBenchmark extends MicroBenchmark {

    /** Payload bytes. */
    @Param({"32", "1024", "16384"})
    public int size;

    private ByteBuf payload;
    private int maskKey;

    /** A direct buffer of random bytes and a random key. */
    @Setup(Level.Trial)
    public void setUp() {
        byte[] bytes = new byte[size];
        ThreadLocalRandom.current().nextBytes(bytes);
        payload = Payloads.direct(bytes);
        maskKey = ThreadLocalRandom.current().nextInt();
    }

    /** Frees the buffer. */
    @TearDown(Level.Trial)
    public void tearDown() {
        payload.release();
    }

    /** Switchboard: {@link WebSocketProtocol#mask}, a long at a time. */
    @Benchmark
    public ByteBuf switchboard() {
        WebSocketProtocol.mask(payload, 0, size, maskKey);
        return payload;
    }

    /** Baseline: {@code payload[i] ^= key[i % 4]}, a byte at a time. */
    @Benchmark
    public ByteBuf byteAtATime() {
        ByteBuf buf = payload;
        int key = maskKey;
        for (int i = 0; i < size; i++) {
            buf.setByte(i, buf.getByte(i) ^ (key >>> (24 - 8 * (i & 3))));
        }
        return buf;
    }
}
