package io.switchboard.server;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The slow-consumer rule of every transport: a connection whose unsent bytes stay over its
 * high-water mark (the channel turned unwritable) for the grace period is ended, so a slow
 * consumer costs its own connection, never the server's memory. One instance serves all
 * connections; each connection keeps only the timer it armed.
 */
public final class SlowConsumerGrace {

    private final long graceNanos;

    /** Ends a connection unwritable for {@code grace}; zero or negative: never. */
    public SlowConsumerGrace(Duration grace) {
        this.graceNanos = Math.max(0, grace.toNanos());
    }

    /** False when the grace is zero: slow consumers are never ended by time. */
    public boolean enabled() {
        return graceNanos > 0;
    }

    /**
     * Call on {@code channel}'s event loop when its writability changed, with the timer this
     * returned last time (or null). While the channel is unwritable a timer runs {@code end} once
     * the grace is over and the channel is still unwritable; once it is writable again the timer is
     * cancelled. Returns the timer to keep (null: none).
     */
    public ScheduledFuture<?> writabilityChanged(Channel channel, ScheduledFuture<?> armed, Runnable end) {
        if (!enabled()) {
            return null;
        }
        if (!channel.isWritable()) {
            if (armed != null && !armed.isDone()) {
                return armed;
            }
            return channel.eventLoop().schedule(() -> {
                if (channel.isActive() && !channel.isWritable()) {
                    end.run();
                }
            }, graceNanos, TimeUnit.NANOSECONDS);
        }
        cancel(armed);
        return null;
    }

    /** Cancels {@code armed} (null: nothing to cancel); call when the connection closes. */
    public static void cancel(ScheduledFuture<?> armed) {
        if (armed != null) {
            armed.cancel(false);
        }
    }
}
