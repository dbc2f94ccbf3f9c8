package io.switchboard.server;

import io.netty.channel.Channel;

/**
 * The hard limit on a slow consumer's unsent bytes. The grace period before a connection that
 * stays over its high-water mark is ended is {@code SlowConsumerGrace}, shared by WebSockets
 * (close 1008) and event streams (closed; they resume from Last-Event-ID); this cuts a consumer
 * off at once when it is so far behind that waiting out the grace would cost the server's memory.
 */
public final class Backpressure {

    /** How many high-water marks of unsent bytes a consumer may queue before it is cut off at once. */
    public static final int HARD_LIMIT_FACTOR = 8;

    private Backpressure() {
    }

    /**
     * True when {@code channel} is so far over its limit ({@link #HARD_LIMIT_FACTOR} high-water
     * marks unsent) that it must be cut off now, before the grace period ends, to bound memory.
     */
    public static boolean overHardLimit(Channel channel) {
        return !channel.isWritable()
                && channel.bytesBeforeWritable() > (long) HARD_LIMIT_FACTOR * channel.config().getWriteBufferHighWaterMark();
    }
}
