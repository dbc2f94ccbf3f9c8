package io.switchboard.server;

import io.netty.channel.EventLoop;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Something done to every watched connection each interval: WebSocket pings (a peer that has not
 * answered the previous one is dropped) and event-stream comment heartbeats.
 *
 * <p>One timer per event loop sweeps all of that loop's connections, so an idle connection costs
 * one list slot here instead of a scheduled task and a close listener of its own.
 *
 * @param <T> what is watched: a WebSocket, an event stream
 */
public final class Heartbeat<T> {

    /** One connection's beat; runs on its event loop. */
    @FunctionalInterface
    public interface Beat<T> {
        /** Beats {@code target}; false when it is gone and leaves the sweep. */
        boolean beat(T target);
    }

    private final long intervalNanos;
    private final Beat<T> beat;
    private final Map<EventLoop, Sweep> sweeps = new ConcurrentHashMap<>();

    /** Beats every {@code interval}; zero or negative: never. */
    public Heartbeat(Duration interval, Beat<T> beat) {
        this.intervalNanos = interval.toNanos();
        this.beat = beat;
    }

    /** Starts beating {@code target}, a connection of {@code loop}; call on that loop. */
    public void watch(EventLoop loop, T target) {
        if (intervalNanos <= 0) {
            return;
        }
        sweeps.computeIfAbsent(loop, this::startSweep).targets.add(target);
    }

    private Sweep startSweep(EventLoop loop) {
        Sweep sweep = new Sweep();
        loop.scheduleWithFixedDelay(sweep, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
        return sweep;
    }

    /** The connections of one event loop; touched only on that loop. */
    private final class Sweep implements Runnable {
        final ArrayList<T> targets = new ArrayList<>();
        /** The most connections since the list was last trimmed. */
        private int peak;

        @Override
        public void run() {
            ArrayList<T> list = targets;
            int i = 0;
            while (i < list.size()) {
                if (beat.beat(list.get(i))) {
                    i++;
                } else {
                    // Order does not matter: move the last one into the gap.
                    int last = list.size() - 1;
                    list.set(i, list.get(last));
                    list.remove(last);
                }
            }
            peak = Math.max(peak, list.size());
            if (list.size() < peak / 4) {
                // Most connections are gone: give back the slots they held.
                list.trimToSize();
                peak = list.size();
            }
        }
    }
}
