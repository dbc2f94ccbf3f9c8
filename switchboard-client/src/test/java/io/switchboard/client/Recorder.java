package io.switchboard.client;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Records what a listener is told, in order, as lines such as {@code open OPEN},
 * {@code text hello}, {@code closed 1000 bye CLOSED}, with the socket's readyState when a
 * lifecycle callback runs; tests wait for the next line.
 */
final class Recorder implements ReconnectingWebSocket.Listener {

    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final List<Throwable> failures = new ArrayList<>();
    /** {@code System.nanoTime()} of each onReconnect, and the delay it announced. */
    private final List<long[]> reconnects = new ArrayList<>();

    /** The next event, waiting up to 10 seconds. */
    String next() throws InterruptedException {
        String event = events.poll(10, TimeUnit.SECONDS);
        if (event == null) {
            throw new AssertionError("no event within 10 s; failures: " + failures());
        }
        return event;
    }

    /** Skips events until one starts with {@code prefix}, and returns it. */
    String nextStartingWith(String prefix) throws InterruptedException {
        for (;;) {
            String event = next();
            if (event.startsWith(prefix)) {
                return event;
            }
        }
    }

    /** Whether nothing more was recorded. */
    boolean isQuiet() {
        return events.isEmpty();
    }

    synchronized List<Throwable> failures() {
        return new ArrayList<>(failures);
    }

    synchronized List<long[]> reconnects() {
        return new ArrayList<>(reconnects);
    }

    @Override
    public void onOpen(ClientWebSocket webSocket) {
        events.add("open " + webSocket.readyState());
    }

    @Override
    public void onMessage(ClientWebSocket webSocket, String text) {
        events.add("text " + text);
    }

    @Override
    public void onMessage(ClientWebSocket webSocket, ByteBuffer bytes) {
        events.add("binary " + StandardCharsets.UTF_8.decode(bytes));
    }

    @Override
    public void onClosing(ClientWebSocket webSocket, int code, String reason) {
        events.add("closing " + code + " " + reason + " " + webSocket.readyState());
    }

    @Override
    public void onClosed(ClientWebSocket webSocket, int code, String reason) {
        events.add("closed " + code + " " + reason + " " + webSocket.readyState());
    }

    @Override
    public void onFailure(ClientWebSocket webSocket, Throwable cause) {
        synchronized (this) {
            failures.add(cause);
        }
        events.add("failure " + cause.getClass().getSimpleName());
    }

    @Override
    public void onReconnect(ReconnectingWebSocket webSocket, int attempt, Duration delay) {
        synchronized (this) {
            reconnects.add(new long[] {System.nanoTime(), delay.toNanos()});
        }
        events.add("reconnect " + attempt + " " + webSocket.readyState());
    }
}
