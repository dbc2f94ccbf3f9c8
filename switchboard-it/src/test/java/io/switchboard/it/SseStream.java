package io.switchboard.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@code text/event-stream} read as the HTML spec's event-stream parser does (fields {@code id},
 * {@code event}, {@code data}, {@code retry}; comments ignored; an event dispatched on a blank
 * line), on its own thread, so a test takes events in order with a timeout.
 */
final class SseStream implements AutoCloseable {

    /** One dispatched event: its id (the last one seen on the stream), type and data lines joined by LF. */
    record Event(String id, String event, String data) { }

    /** Queued after the last event when the stream ends. */
    private static final Event END = new Event(null, null, null);

    final int status;
    final HttpHeaders headers;
    private final InputStream body;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    /** The raw lines as received, for failure messages and field checks; guarded by itself. */
    private final StringBuilder transcript = new StringBuilder();
    private volatile String retry;

    private SseStream(HttpResponse<InputStream> response) {
        this.status = response.statusCode();
        this.headers = response.headers();
        this.body = response.body();
        Thread reader = new Thread(this::read, "sse-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code uri} as EventSource does ({@code Accept: text/event-stream}), with {@code Last-Event-ID} unless null. */
    static SseStream open(HttpClient http, URI uri, String lastEventId) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Accept", "text/event-stream")
                .header("Cache-Control", "no-cache");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return new SseStream(http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    /** The next event, failing if none is dispatched within {@code timeout} or the stream ends first. */
    Event next(Duration timeout) throws InterruptedException {
        Event event = nextOrEnd(timeout);
        if (event == null) {
            throw new AssertionError("the SSE stream ended; stream so far:\n" + transcript());
        }
        return event;
    }

    /** The next event, or null once the stream has ended (the server closed it); fails if neither happens within {@code timeout}. */
    Event nextOrEnd(Duration timeout) throws InterruptedException {
        Event event = events.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (event == null) {
            throw new AssertionError("no SSE event within " + timeout + "; stream so far:\n" + transcript());
        }
        return event == END ? null : event;
    }

    /** The next event, within 10 s. */
    Event next() throws InterruptedException {
        return next(Duration.ofSeconds(10));
    }

    /** The value of the last {@code retry:} field received, or null. */
    String retry() {
        return retry;
    }

    /** Every line received so far. */
    String transcript() {
        synchronized (transcript) {
            return transcript.toString();
        }
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String lastId = null;
            String type = null;
            StringBuilder data = null;
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (transcript) {
                    transcript.append(line).append('\n');
                }
                if (line.isEmpty()) {
                    if (data != null) {
                        events.add(new Event(lastId, type == null ? "message" : type, data.toString()));
                    }
                    type = null;
                    data = null;
                    continue;
                }
                if (line.startsWith(":")) {
                    continue;
                }
                int colon = line.indexOf(':');
                String field = colon < 0 ? line : line.substring(0, colon);
                String value = colon < 0 ? "" : line.substring(line.startsWith(" ", colon + 1) ? colon + 2 : colon + 1);
                switch (field) {
                    case "id" -> lastId = value;
                    case "event" -> type = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    case "retry" -> retry = value;
                    default -> { }
                }
            }
        } catch (IOException closed) {
            // the test closed the stream, or the server did
        } finally {
            events.add(END);
        }
    }

    @Override
    public void close() throws IOException {
        body.close();
    }
}
