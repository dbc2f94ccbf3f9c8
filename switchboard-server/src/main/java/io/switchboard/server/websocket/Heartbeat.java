package io.switchboard.server.websocket;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.switchboard.websocket.CloseCode;
import io.switchboard.websocket.ReadyState;
import io.switchboard.websocket.WebSocketProtocolHandler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Server pings: every interval the server pings each open connection; a peer from which nothing
 * has arrived since the previous ping (no pong, and no other frame either) is considered dead and
 * dropped (close 1001, then TCP close), so half-open connections do not pile up.
 *
 * <p>One timer per event loop sweeps all of that loop's connections, so an idle connection costs
 * one list slot here instead of a scheduled task and a close listener of its own.
 */
final class Heartbeat {

    private final long intervalNanos;
    private final Map<EventLoop, Sweep> sweeps = new ConcurrentHashMap<>();

    /** Pings every {@code interval}; zero or negative: never. */
    Heartbeat(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /** Starts pinging {@code webSocket}; call on its event loop. */
    void watch(WebSocketProtocolHandler webSocket) {
        if (intervalNanos <= 0) {
            return;
        }
        EventLoop loop = webSocket.channel().eventLoop();
        sweeps.computeIfAbsent(loop, this::startSweep).connections.add(webSocket);
    }

    private Sweep startSweep(EventLoop loop) {
        Sweep sweep = new Sweep();
        loop.scheduleWithFixedDelay(sweep, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
        return sweep;
    }

    /** The connections of one event loop; touched only on that loop. */
    private static final class Sweep implements Runnable {
        final ArrayList<WebSocketProtocolHandler> connections = new ArrayList<>();
        /** The most connections since the list was last trimmed. */
        private int peak;

        @Override
        public void run() {
            ArrayList<WebSocketProtocolHandler> list = connections;
            int i = 0;
            while (i < list.size()) {
                WebSocketProtocolHandler webSocket = list.get(i);
                ReadyState state = webSocket.readyState();
                if (state == ReadyState.CLOSED) {
                    // Order does not matter: move the last one into the gap.
                    int last = list.size() - 1;
                    list.set(i, list.get(last));
                    list.remove(last);
                    continue;
                }
                if (state == ReadyState.OPEN) {
                    if (webSocket.pingOutstanding()) {
                        webSocket.terminate(CloseCode.GOING_AWAY, "no pong to the last ping");
                    } else {
                        webSocket.ping(Unpooled.EMPTY_BUFFER);
                    }
                }
                i++;
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
