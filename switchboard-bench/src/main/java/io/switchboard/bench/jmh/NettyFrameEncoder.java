package io.switchboard.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.openjdk.jmh.infra.Blackhole;

import java.util.ArrayList;
import java.util.List;

/**
 * Netty's built-in {@link WebSocket08FrameEncoder}, called the way its pipeline calls it (encode,
 * then release the frame), without the pipeline around it, so it compares with a plain method call.
 */
final class NettyFrameEncoder extends WebSocket08FrameEncoder {

    private final EmbeddedChannel channel;
    private final ChannelHandlerContext ctx;
    private final List<Object> out = new ArrayList<>(2);

    /** An encoder that masks like a client ({@code mask}) or not, like a server. */
    NettyFrameEncoder(boolean mask) {
        super(mask);
        channel = new EmbeddedChannel(this);
        ctx = channel.pipeline().context(this);
    }

    /** Encodes {@code frame} (taking ownership of it), hands the wire buffers to {@code sink} and releases them as a socket write would. */
    void encodeTo(WebSocketFrame frame, Blackhole sink) throws Exception {
        try {
            encode(ctx, frame, out);
        } finally {
            frame.release();
        }
        for (Object buf : out) {
            sink.consume(buf);
            ((ByteBuf) buf).release();
        }
        out.clear();
    }

    /** Closes the channel the encoder sits in. */
    void close() {
        channel.finishAndReleaseAll();
    }
}
