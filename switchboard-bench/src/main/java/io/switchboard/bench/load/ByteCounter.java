package io.switchboard.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the bytes a connection reads from and writes to its socket (TCP payload, both
 * directions), first handler in the pipeline so it sees exactly what crosses the wire.
 */
@ChannelHandler.Sharable
public final class ByteCounter extends ChannelDuplexHandler {

    private final LongAdder read = new LongAdder();
    private final LongAdder written = new LongAdder();

    /** Bytes received from the server so far. */
    public long read() {
        return read.sum();
    }

    /** Bytes sent to the server so far. */
    public long written() {
        return written.sum();
    }

    /** Both directions. */
    public long total() {
        return read() + written();
    }

    /** Starts counting from zero. */
    public void reset() {
        read.reset();
        written.reset();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        read.add(size(msg));
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        written.add(size(msg));
        ctx.write(msg, promise);
    }

    private static long size(Object msg) {
        if (msg instanceof ByteBuf buf) {
            return buf.readableBytes();
        }
        return msg instanceof ByteBufHolder holder ? holder.content().readableBytes() : 0;
    }
}
