package io.switchboard.it;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static io.switchboard.it.ExternalClient.JSON;

/**
 * A client subscribed to one channel on a node, on one transport, that reads on a thread of its
 * own as an application would: it keeps its cursor, and when its node goes away it reconnects to
 * the next node of its list with that cursor. Tests read what it delivered and what it was told.
 */
abstract class ChannelSubscriber implements AutoCloseable {

    /** How long a node may stay silent before the subscriber counts it as a failure. */
    static final Duration SILENCE = Duration.ofSeconds(40);
    static final Duration RECONNECT_PAUSE = Duration.ofMillis(100);

    final String channel;
    /** Every publication delivered, in the order delivered, over every connection. */
    final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    /** Every {@code recovered:false} notice: {@code {"channel","offset","epoch","recovered"}}. */
    final List<JsonNode> notRecovered = new CopyOnWriteArrayList<>();
    /** The port of every connection made, in order. */
    final List<Integer> connectedTo = new CopyOnWriteArrayList<>();

    private final List<Integer> ports;
    private final Thread thread;
    volatile String cursor;
    private volatile boolean closed;
    private volatile Throwable failure;

    ChannelSubscriber(String transport, List<Integer> ports, String channel, String since) {
        this.ports = List.copyOf(ports);
        this.channel = channel;
        this.cursor = since;
        this.thread = new Thread(this::run, transport + "-subscriber-" + channel);
        this.thread.setDaemon(true);
    }

    /** A {@code /ws} subscriber ({@code subscribe} with {@code since}) on the first of {@code ports}, then the next; returns once connected. */
    static ChannelSubscriber webSocket(List<Integer> ports, String channel, String since) throws IOException {
        return new WebSocketSubscriber(ports, channel, since).begin();
    }

    /** An {@code /sse?channel=} subscriber ({@code Last-Event-ID: since}) on the first of {@code ports}, then the next; returns once connected. */
    static ChannelSubscriber eventStream(List<Integer> ports, String channel, String since) throws IOException {
        return new EventStreamSubscriber(ports, channel, since).begin();
    }

    /** A {@code /poll?channel=&since=&wait=30} loop on the first of {@code ports}, then the next; returns once started. */
    static ChannelSubscriber longPoll(List<Integer> ports, String channel, String since) throws IOException {
        return new LongPollSubscriber(ports, channel, since).begin();
    }

    final ChannelSubscriber begin() throws IOException {
        thread.start();
        try {
            await("the first connection of " + name(), () -> !connectedTo.isEmpty());
        } catch (AssertionError e) {
            close();
            throw e;
        }
        return this;
    }

    /** Waits until {@code count} publications are delivered, failing if the subscriber failed or 30 s pass. */
    void awaitDeliveries(int count) {
        await(count + " deliveries on " + name(), () -> deliveries.size() >= count);
    }

    /** Waits until {@code condition} holds, failing if the subscriber failed or 30 s pass. */
    void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (failure != null) {
                throw new AssertionError(thread.getName() + " failed before " + what, failure);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; delivered " + deliveries.size()
                        + ", not recovered: " + notRecovered + ", connected to " + connectedTo);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    /** Which transport and channel, for messages. */
    String name() {
        return thread.getName();
    }

    /** The offsets delivered, in delivery order. */
    List<Long> offsets() {
        List<Long> offsets = new ArrayList<>();
        deliveries.forEach(d -> offsets.add(d.offset()));
        return offsets;
    }

    private void run() {
        int next = 0;
        while (!closed) {
            int port = ports.get(next % ports.size());
            next++;
            try {
                readFrom(port);
            } catch (IOException lost) {
                // The node is gone, or was never there: on to the next one with the cursor, after
                // a pause as a browser's EventSource makes, so nodes that are all down are not hammered.
                LockSupport.parkNanos(RECONNECT_PAUSE.toNanos());
            } catch (InterruptedException e) {
                return;
            } catch (Throwable e) {
                if (!closed) {
                    failure = e;
                }
                return;
            }
        }
    }

    /** Connects to the node on {@code port} and delivers until the connection is lost (returns or throws IOException). */
    abstract void readFrom(int port) throws IOException, InterruptedException;

    void delivered(Delivery delivery) {
        deliveries.add(delivery);
        cursor = delivery.cursor();
    }

    /** A {@code {"channel","offset","epoch","recovered"}} position: recorded when not recovered, and the cursor goes on from it. */
    void positioned(JsonNode position, boolean resumed) {
        if (resumed && !position.path("recovered").asBoolean()) {
            notRecovered.add(position);
        }
        cursor = position.path("offset").asLong() + ":" + position.path("epoch").asText();
    }

    boolean closed() {
        return closed;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        thread.interrupt();
        disconnect();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes the current connection, if any. */
    abstract void disconnect() throws IOException;

    private static final class WebSocketSubscriber extends ChannelSubscriber {

        private volatile JdkClient client;

        WebSocketSubscriber(List<Integer> ports, String channel, String since) {
            super("ws", ports, channel, since);
        }

        @Override
        void readFrom(int port) throws IOException, InterruptedException {
            try {
                client = JdkClient.connect("ws://127.0.0.1:" + port + "/ws");
            } catch (RuntimeException refused) {
                throw new IOException("cannot connect to port " + port, refused);
            }
            connectedTo.add(port);
            String since = cursor;
            var command = JSON.createObjectNode().put("id", 1);
            command.set("subscribe", subscribe(since));
            client.socket.sendText(command.toString(), true);
            for (;;) {
                JdkClient.Event event = client.next(SILENCE);
                if (event instanceof JdkClient.Text text) {
                    JsonNode message = JSON.readTree(text.text());
                    if (message.has("pub")) {
                        delivered(Delivery.of(message.get("pub")));
                    } else if (message.has("subscribe")) {
                        // The reply (id 1) to a resuming subscribe, or a push after publications were lost.
                        positioned(message.get("subscribe"), since != null || !message.has("id"));
                    } else if (message.has("error")) {
                        throw new AssertionError("/ws on port " + port + " answered " + message);
                    }
                } else if (event instanceof JdkClient.Close || event instanceof JdkClient.Error) {
                    throw new IOException("connection to port " + port + " lost: " + event);
                }
            }
        }

        private JsonNode subscribe(String since) {
            var body = JSON.createObjectNode().put("channel", channel);
            if (since != null) {
                body.put("since", since);
            }
            return body;
        }

        @Override
        void disconnect() {
            if (client != null) {
                client.socket.abort();
            }
        }
    }

    private static final class EventStreamSubscriber extends ChannelSubscriber {

        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private volatile SseStream stream;

        EventStreamSubscriber(List<Integer> ports, String channel, String since) {
            super("sse", ports, channel, since);
        }

        @Override
        void readFrom(int port) throws IOException, InterruptedException {
            stream = SseStream.open(http, URI.create("http://127.0.0.1:" + port + "/sse?channel=" + encode(channel)), cursor);
            if (stream.status != 200) {
                throw new AssertionError("GET /sse on port " + port + " answered " + stream.status);
            }
            connectedTo.add(port);
            for (SseStream.Event event; (event = stream.nextOrEnd(SILENCE)) != null; ) {
                if (event.event().equals(channel)) {
                    delivered(Delivery.of(event));
                } else if (event.event().equals("message")) {
                    positioned(JSON.readTree(event.data()), true);
                }
            }
            throw new IOException("the stream from port " + port + " ended");
        }

        @Override
        void disconnect() throws IOException {
            if (stream != null) {
                stream.close();
            }
        }
    }

    private static final class LongPollSubscriber extends ChannelSubscriber {

        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        LongPollSubscriber(List<Integer> ports, String channel, String since) {
            super("poll", ports, channel, since);
        }

        @Override
        void readFrom(int port) throws IOException, InterruptedException {
            connectedTo.add(port);
            while (!closed()) {
                String resumed = cursor;
                String since = resumed == null ? "" : "&since=" + encode(resumed);
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(
                                "http://127.0.0.1:" + port + "/poll?channel=" + encode(channel) + since + "&wait=30"))
                        .timeout(SILENCE).build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new AssertionError("GET /poll on port " + port + " answered " + response.statusCode() + ": " + response.body());
                }
                JsonNode answer = JSON.readTree(response.body());
                answer.path("messages").forEach(m -> delivered(Delivery.of(m)));
                if (resumed != null && !answer.path("recovered").asBoolean()) {
                    notRecovered.add(answer);
                }
                cursor = answer.path("cursor").asText();
            }
        }

        @Override
        void disconnect() {
            // the thread's interrupt cancels the poll in flight
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
