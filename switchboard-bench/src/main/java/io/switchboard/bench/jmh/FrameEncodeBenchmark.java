package io.switchboard.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.switchboard.websocket.FrameWriter;
import io.switchboard.websocket.Opcode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Encoding one text message into a frame ready for the socket: unmasked as a server sends, or
 * masked with a fresh key as a client sends. Switchboard's {@link FrameWriter} against Netty's
 * WebSocket08FrameEncoder; both take a retained view of the same direct payload buffer and the
 * wire buffers are released after, as a completed write would.
 */
@State(Scope.Thread)
public class FrameEncodeBenchmark extends MicroBenchmark {

    /** Payload bytes. */
    @Param({"32", "16384"})
    public int size;

    /** true: a client's masked frame; false: a server's. */
    @Param({"false", "true"})
    public boolean masked;

    private ByteBuf payload;
    private NettyFrameEncoder netty;

    /** The payload in a direct buffer, and Netty's encoder. */
    @Setup(Level.Trial)
    public void setUp() {
        payload = Payloads.direct(Payloads.text(size, true));
        netty = new NettyFrameEncoder(masked);
    }

    /** Frees the payload and the encoder's channel. */
    @TearDown(Level.Trial)
    public void tearDown() {
        payload.release();
        netty.close();
    }

    /** Switchboard: {@link FrameWriter#encode}. */
    @Benchmark
    public void switchboard(Blackhole sink) {
        ByteBuf frame = FrameWriter.encode(ByteBufAllocator.DEFAULT, Opcode.TEXT, true, payload.retainedDuplicate(), masked);
        sink.consume(frame);
        frame.release();
    }

    /** Netty's built-in encoder. */
    @Benchmark
    public void netty(Blackhole sink) throws Exception {
        netty.encodeTo(new TextWebSocketFrame(payload.retainedDuplicate()), sink);
    }
}
