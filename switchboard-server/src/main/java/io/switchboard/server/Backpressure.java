package io.switchboard.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Disconnects a slow consumer: once a connection's outbound buffer passes the high-water mark
 * (the channel turns unwritable) and stays there for the grace period, {@code disconnect} runs
 * (an event stream just closes). Its memory is then freed; it recovers what it missed from
 * history when it comes back. WebSocket connections get the same grace from
 * {@code WebSocketProtocolHandler.closeSlowConsumerAfter} (1008) and no extra pipeline handler;
 * {@link #overHardLimit} serves both.
 */
public final class Backpressure extends ChannelInboundHandlerAdapter {

    /** How many high-water marks of unsent bytes a consumer may queue before it is cut off at once. */
    public static final int HARD_LIMIT_FACTOR = 8;

    private final long graceNanos;
    private final Runnable disconnect;
    private ScheduledFuture<?> check;

    /** Runs {@code disconnect} when the connection stays unwritable for {@code grace}. */
    public Backpressure(Duration grace, Runnable disconnect) {
        this.graceNanos = grace.toNanos();
        this.disconnect = disconnect;
    }

    /**
     * True when {@code channel} is so far over its limit ({@link #HARD_LIMIT_FACTOR} high-water
     * marks unsent) that it must be cut off now, before the grace period ends, to bound memory.
     */
    public static boolean overHardLimit(Channel channel) {
        return !channel.isWritable()
                && channel.bytesBeforeWritable() > (long) HARD_LIMIT_FACTOR * channel.config().getWriteBufferHighWaterMark();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!ctx.channel().isWritable()) {
            if (check == null) {
                check = ctx.executor().schedule(() -> {
                    check = null;
                    if (!ctx.channel().isWritable()) {
                        disconnect.run();
                    }
                }, graceNanos, TimeUnit.NANOSECONDS);
            }
        } else if (check != null) {
            check.cancel(false);
            check = null;
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
        ctx.fireChannelInactive();
    }
}
