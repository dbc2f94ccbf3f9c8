package io.switchboard.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.switchboard.websocket.FrameWriter;
import io.switchboard.websocket.Opcode;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

import java.nio.ByteBuffer;

/**
 * One chat message to {@value #SUBSCRIBERS} subscribers, up to the bytes each connection is
 * handed to write. Switchboard encodes the frame once and gives every subscriber a view of the
 * same bytes (its chat path); the alternative encodes a frame per subscriber; Netty's ChannelGroup
 * gives every channel a retained duplicate of one frame, which each channel's
 * WebSocket08FrameEncoder then encodes. Time is per delivery.
 */
@State(Scope.Thread)
public class FanoutBenchmark extends MicroBenchmark {

    /** Subscribers per message. */
    static final int SUBSCRIBERS = 1000;

    private byte[] message;
    private ByteBuf payload;
    private NettyFrameEncoder netty;

    /** A 100-byte chat message, as bytes and in a direct buffer, and Netty's encoder. */
    @Setup(Level.Trial)
    public void setUp() {
        message = Payloads.text(100, true);
        payload = Payloads.direct(message);
        netty = new NettyFrameEncoder(false);
    }

    /** Frees the payload and the encoder's channel. */
    @TearDown(Level.Trial)
    public void tearDown() {
        payload.release();
        netty.close();
    }

    /** Switchboard: one frame in one direct buffer, a duplicate per subscriber (as its TextFrames does). */
    @Benchmark
    @OperationsPerInvocation(SUBSCRIBERS)
    public void switchboardEncodeOnce(Blackhole sink) {
        byte[] frame = FrameWriter.encodeUnmasked(Opcode.TEXT, message);
        ByteBuf shared = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(frame.length).put(frame).flip()));
        for (int i = 0; i < SUBSCRIBERS; i++) {
            sink.consume(shared.duplicate());
        }
    }

    /** The alternative: Switchboard's encoder run once per subscriber. */
    @Benchmark
    @OperationsPerInvocation(SUBSCRIBERS)
    public void switchboardPerSubscriber(Blackhole sink) {
        for (int i = 0; i < SUBSCRIBERS; i++) {
            ByteBuf frame = FrameWriter.encode(ByteBufAllocator.DEFAULT, Opcode.TEXT, true, payload.retainedDuplicate(), false);
            sink.consume(frame);
            frame.release();
        }
    }

    /** Netty: ChannelGroup's retained duplicate of one frame per channel, encoded by each channel's encoder. */
    @Benchmark
    @OperationsPerInvocation(SUBSCRIBERS)
    public void nettyChannelGroup(Blackhole sink) throws Exception {
        TextWebSocketFrame frame = new TextWebSocketFrame(payload.retainedDuplicate());
        for (int i = 0; i < SUBSCRIBERS; i++) {
            netty.encodeTo(frame.retainedDuplicate(), sink);
        }
        frame.release();
    }
}
