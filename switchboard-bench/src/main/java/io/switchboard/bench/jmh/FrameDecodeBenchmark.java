package io.switchboard.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.websocket.WebSocket;
import io.switchboard.websocket.WebSocketListener;
import io.switchboard.websocket.WebSocketProtocolHandler;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A server decoding what a client sent: one receive buffer holding {@value #FRAMES} masked text
 * frames goes through the pipeline, and every message reaches the application unmasked and
 * UTF-8 checked. Switchboard's {@link WebSocketProtocolHandler} against Netty's
 * {@link WebSocket08FrameDecoder} followed by its {@link Utf8FrameValidator} (as
 * WebSocketServerProtocolHandler sets them up). Time is per message.
 */
@State(Scope.Thread)
public class FrameDecodeBenchmark extends MicroBenchmark {

    /** Messages per receive buffer. */
    static final int FRAMES = 16;
    private static final int MAX_MESSAGE = 1 << 20;

    /** Payload bytes per message. */
    @Param({"32", "16384"})
    public int size;

    private byte[] wire;
    private EmbeddedChannel switchboard;
    private EmbeddedChannel netty;
    private long messages;

    /** The client's bytes, and one channel per codec ending in a handler that counts messages. */
    @Setup(Level.Trial)
    public void setUp() {
        wire = Payloads.maskedTextFrames(Payloads.text(size, true), FRAMES);

        WebSocketProtocolHandler protocol = new WebSocketProtocolHandler(true, MAX_MESSAGE, null, new WebSocketListener() {
            @Override
            public void onText(WebSocket webSocket, ByteBuf utf8) {
                messages++;
            }
        });
        switchboard = new EmbeddedChannel(protocol);
        protocol.start();

        WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
                .expectMaskedFrames(true)
                .allowExtensions(false)
                .maxFramePayloadLength(MAX_MESSAGE)
                .build();
        netty = new EmbeddedChannel(new WebSocket08FrameDecoder(config), new Utf8FrameValidator(), new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof TextWebSocketFrame) {
                    messages++;
                }
                ReferenceCountUtil.release(msg);
            }
        });
    }

    /** Closes both channels. */
    @TearDown(Level.Trial)
    public void tearDown() {
        switchboard.finishAndReleaseAll();
        netty.finishAndReleaseAll();
    }

    /** Switchboard's codec. */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public long switchboard() {
        return receive(switchboard);
    }

    /** Netty's built-in codec. */
    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public long netty() {
        return receive(netty);
    }

    private long receive(EmbeddedChannel channel) {
        long before = messages;
        channel.pipeline().fireChannelRead(Payloads.direct(wire));
        channel.pipeline().fireChannelReadComplete();
        if (messages - before != FRAMES) {
            throw new IllegalStateException("decoded " + (messages - before) + " messages, sent " + FRAMES);
        }
        return messages;
    }
}
