package io.switchboard.server.websocket;

import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.websocket.CloseCode;
import io.switchboard.websocket.ReadyState;
import io.switchboard.websocket.WebSocketProtocolHandler;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Server pings: every interval the server sends a ping; a peer from which nothing has arrived
 * since the previous one (no pong, and no other frame either) is considered dead and dropped
 * (close 1001, then TCP close), so half-open connections do not pile up.
 */
final class Heartbeat implements Runnable {

    private final WebSocketProtocolHandler webSocket;
    private ScheduledFuture<?> task;

    private Heartbeat(WebSocketProtocolHandler webSocket) {
        this.webSocket = webSocket;
    }

    /** Starts pinging {@code webSocket} every {@code interval} (zero or negative: never). */
    static void start(WebSocketProtocolHandler webSocket, Duration interval) {
        if (interval.isZero() || interval.isNegative()) {
            return;
        }
        Heartbeat heartbeat = new Heartbeat(webSocket);
        long nanos = interval.toNanos();
        heartbeat.task = webSocket.channel().eventLoop().scheduleWithFixedDelay(heartbeat, nanos, nanos, TimeUnit.NANOSECONDS);
        webSocket.channel().closeFuture().addListener(f -> heartbeat.task.cancel(false));
    }

    @Override
    public void run() {
        if (webSocket.readyState() != ReadyState.OPEN) {
            return;
        }
        if (webSocket.pingOutstanding()) {
            webSocket.terminate(CloseCode.GOING_AWAY, "no pong to the last ping");
            return;
        }
        webSocket.ping(Unpooled.EMPTY_BUFFER);
    }
}
