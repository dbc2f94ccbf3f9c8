package io.switchboard.it;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The JDK's own {@link java.net.http.WebSocket} with a listener that reassembles messages and
 * queues everything the server sends, so a test can take events in order with a timeout.
 */
final class JdkClient implements WebSocket.Listener {

    /** Something the server sent or did. */
    sealed interface Event permits Text, Binary, Ping, Pong, Close, Error { }
    record Text(String text) implements Event { }
    record Binary(byte[] bytes) implements Event { }
    record Ping(byte[] bytes) implements Event { }
    record Pong(byte[] bytes) implements Event { }
    record Close(int code, String reason) implements Event { }
    record Error(Throwable error) implements Event { }

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
    final WebSocket socket;
    /** Where a test keeps the pushes it read past while waiting for a reply. */
    final List<JsonNode> pushes = new CopyOnWriteArrayList<>();

    private JdkClient(URI uri) {
        this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, this)
                .orTimeout(15, TimeUnit.SECONDS)
                .join();
    }

    /** Opens a connection to {@code uri} (waits for the 101). */
    static JdkClient connect(String uri) {
        return new JdkClient(URI.create(uri));
    }

    /** The next event, failing if none arrives within 10 s. */
    Event next() throws InterruptedException {
        return next(Duration.ofSeconds(10));
    }

    /** The next event, failing if none arrives within {@code timeout}. */
    Event next(Duration timeout) throws InterruptedException {
        Event event = events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (event == null) {
            throw new AssertionError("no WebSocket event within " + timeout);
        }
        return event;
    }

    /** The next event, which must be a text message. */
    String nextText() throws InterruptedException {
        Event event = next();
        if (event instanceof Text t) {
            return t.text();
        }
        throw new AssertionError("expected a text message, got " + event);
    }

    /** Skips events until a close arrives and returns it. */
    Close awaitClose() throws InterruptedException {
        for (;;) {
            Event event = next();
            if (event instanceof Close c) {
                return c;
            }
            if (event instanceof Error e) {
                throw new AssertionError("connection failed before a close frame", e.error());
            }
        }
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        if (last) {
            events.add(new Text(text.toString()));
            text.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        byte[] chunk = new byte[data.remaining()];
        data.get(chunk);
        binary.writeBytes(chunk);
        if (last) {
            events.add(new Binary(binary.toByteArray()));
            binary.reset();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        events.add(new Ping(bytes(message)));
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        events.add(new Pong(bytes(message)));
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        events.add(new Close(statusCode, reason));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        events.add(new Error(error));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }
}
