package io.switchboard.client;

import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.websocket.CloseCode;
import io.switchboard.websocket.ReadyState;

import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A {@link ClientWebSocket} that comes back by itself: after a close it did not ask for (TCP
 * dropped, server restart, failed attempt) it reconnects with {@link Backoff}; it stops for good
 * when the application calls {@link #close}, the server closes with 1000, or the server refuses
 * the handshake with a 4xx status. {@link #readyState()} is CONNECTING while it (re)connects or
 * waits to, OPEN while a connection is open, and CLOSED only at the end.
 */
public final class ReconnectingWebSocket implements ClientWebSocket {

    /** Callbacks of a {@link ReconnectingWebSocket}: those of {@link ClientListener}, per connection, plus reconnects. */
    public interface Listener extends ClientListener {

        /**
         * The connection closed or an attempt failed, and attempt {@code attempt} (from 0) will
         * start after {@code delay}. {@link #onClosed} is called only once, when it stops for good.
         */
        default void onReconnect(ReconnectingWebSocket webSocket, int attempt, Duration delay) { }
    }

    private final SwitchboardClient client;
    private final URI uri;
    private final Backoff backoff;
    private final Listener listener;

    // Guarded by this.
    private ReadyState state = ReadyState.CONNECTING;
    private Connection current;
    private ScheduledFuture<?> pending;
    private int attempt;
    private long openedAt;
    private boolean stopping;
    private int stopCode = CloseCode.NORMAL;
    private String stopReason = "";

    ReconnectingWebSocket(SwitchboardClient client, URI uri, Backoff backoff, Listener listener) {
        this.client = client;
        this.uri = uri;
        this.backoff = backoff;
        this.listener = listener;
    }

    synchronized void connect() {
        pending = null;
        if (stopping) {
            return;
        }
        current = new Connection(client, uri, new Forwarder());
        current.open();
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public synchronized ReadyState readyState() {
        return state;
    }

    @Override
    public void send(String text) {
        openConnection().send(text);
    }

    @Override
    public void send(byte[] bytes) {
        openConnection().send(bytes);
    }

    @Override
    public void send(ByteBuffer bytes) {
        openConnection().send(bytes);
    }

    private synchronized Connection openConnection() {
        if (state != ReadyState.OPEN) {
            throw new IllegalStateException("WebSocket is not open (readyState " + state + ")");
        }
        return current;
    }

    /** Closes the current connection with {@code code} and {@code reason}, and stops reconnecting. */
    @Override
    public void close(int code, String reason) {
        if (!CloseCode.isValidOnWire(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent");
        }
        Connection connection;
        synchronized (this) {
            if (stopping || state == ReadyState.CLOSED) {
                return;
            }
            stopping = true;
            stopCode = code;
            stopReason = reason;
            state = ReadyState.CLOSING;
            connection = current;
            if (connection == null) {
                // Waiting to reconnect: nothing is open, so it ends here.
                pending.cancel(false);
                pending = null;
                state = ReadyState.CLOSED;
            }
        }
        if (connection != null) {
            connection.close(code, reason);
        } else {
            listener.onClosed(this, code, reason);
        }
    }

    /** Schedules the next attempt after {@code delay}; null (and CLOSED) when the client was closed meanwhile. */
    private Duration schedule(Duration delay) {
        try {
            pending = client.group().schedule(this::connect, delay.toNanos(), TimeUnit.NANOSECONDS);
            return delay;
        } catch (RejectedExecutionException e) {
            stopping = true;
            state = ReadyState.CLOSED;
            return null;
        }
    }

    private boolean isFinal(int code, Throwable failure) {
        if (code == CloseCode.NORMAL) {
            return true;
        }
        if (failure instanceof WebSocketHandshakeException refused) {
            int status = refused.status();
            return status >= 400 && status < 500 && status != 408 && status != 429;
        }
        return false;
    }

    /** Passes one connection's events on, as this socket's, and decides what follows its close. */
    private final class Forwarder implements ClientListener {

        private Throwable failure;

        @Override
        public void onOpen(ClientWebSocket webSocket) {
            synchronized (ReconnectingWebSocket.this) {
                if (stopping) {
                    return;
                }
                state = ReadyState.OPEN;
                openedAt = System.nanoTime();
            }
            listener.onOpen(ReconnectingWebSocket.this);
        }

        @Override
        public void onMessage(ClientWebSocket webSocket, String text) {
            listener.onMessage(ReconnectingWebSocket.this, text);
        }

        @Override
        public void onMessage(ClientWebSocket webSocket, ByteBuffer bytes) {
            listener.onMessage(ReconnectingWebSocket.this, bytes);
        }

        @Override
        public void onClosing(ClientWebSocket webSocket, int code, String reason) {
            synchronized (ReconnectingWebSocket.this) {
                state = ReadyState.CLOSING;
            }
            listener.onClosing(ReconnectingWebSocket.this, code, reason);
        }

        @Override
        public void onFailure(ClientWebSocket webSocket, Throwable cause) {
            failure = cause;
            listener.onFailure(ReconnectingWebSocket.this, cause);
        }

        @Override
        public void onClosed(ClientWebSocket webSocket, int code, String reason) {
            int delayAttempt;
            Duration delay;
            synchronized (ReconnectingWebSocket.this) {
                current = null;
                if (stopping || client.isClosed() || isFinal(code, failure)) {
                    stopping = true;
                    state = ReadyState.CLOSED;
                    delay = null;
                    delayAttempt = -1;
                } else {
                    if (openedAt != 0 && System.nanoTime() - openedAt >= backoff.resetAfter().toNanos()) {
                        attempt = 0;
                    }
                    openedAt = 0;
                    state = ReadyState.CONNECTING;
                    delayAttempt = attempt++;
                    delay = schedule(backoff.delay(delayAttempt));
                }
            }
            if (delay == null) {
                listener.onClosed(ReconnectingWebSocket.this, code, reason);
            } else {
                listener.onReconnect(ReconnectingWebSocket.this, delayAttempt, delay);
            }
        }
    }

    @Override
    public String toString() {
        return "ReconnectingWebSocket[" + uri + ", " + readyState() + "]";
    }
}
