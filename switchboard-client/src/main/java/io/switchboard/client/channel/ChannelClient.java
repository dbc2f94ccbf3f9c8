package io.switchboard.client.channel;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.switchboard.client.Backoff;
import io.switchboard.client.ClientWebSocket;
import io.switchboard.client.ReconnectingWebSocket;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.core.StreamPosition;
import io.switchboard.websocket.CloseCode;
import io.switchboard.websocket.ReadyState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A client of the {@code ws /ws} channel protocol: subscribe (with recovery from a cursor),
 * publish, history and presence, each answered by a future. It stays connected with a
 * {@link ReconnectingWebSocket} and, after every reconnect, subscribes each channel again from the
 * cursor of the last publication it delivered, so a dropped connection loses nothing.
 *
 * <pre>{@code
 * ChannelClient channels = ChannelClient.connect(client, URI.create("ws://localhost:8080/ws"), backoff, () -> tokenFromYourBackend());
 * channels.subscribe("news", pub -> System.out.println(pub.data()), null);
 * channels.publish("news", "{\"title\":\"Hello\"}").join();
 * }</pre>
 */
public final class ChannelClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ChannelClient.class);

    /** Numbers keep their digits both ways, as the server embeds them (142.50 stays 142.50). */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .build();

    private final ReconnectingWebSocket socket;
    /** Supplies connection tokens; null: anonymous. */
    private final Supplier<String> tokens;
    /** Counts connections (guarded by this): a refresh planned for an earlier one is dropped. */
    private long connection;
    // Guarded by this.
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private final Map<Long, Pending<?>> pending = new HashMap<>();
    private long lastId;
    private String clientId;
    /** Whether the connection is open and its subscriptions were sent (set under this lock by the open event). */
    private boolean open;

    /** A command waiting for its reply. */
    private record Pending<T>(CompletableFuture<T> future, Function<JsonNode, T> reply) {
        void complete(JsonNode body) {
            try {
                future.complete(reply.apply(body));
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            }
        }
    }

    private ChannelClient(SwitchboardClient client, URI uri, Backoff backoff, Supplier<String> tokens) {
        this.tokens = tokens;
        this.socket = client.reconnecting(uri, backoff, new Events());
    }

    /** Connects to a {@code /ws} URI as an anonymous client; reconnects with {@code backoff}. */
    public static ChannelClient connect(SwitchboardClient client, URI uri, Backoff backoff) {
        return new ChannelClient(client, uri, backoff, null);
    }

    /**
     * Connects to a {@code /ws} URI as the user of the connection tokens {@code tokens} supplies: one
     * is sent in a {@code connect} command on every (re)connect, and a fresh one in a {@code refresh}
     * command a little before the current one expires, so the connection outlives each token.
     * {@code tokens} is called on a client thread and may block briefly (e.g. ask a backend).
     */
    public static ChannelClient connect(SwitchboardClient client, URI uri, Backoff backoff, Supplier<String> tokens) {
        return new ChannelClient(client, uri, backoff, tokens);
    }

    /** The underlying connection's state: CONNECTING while it (re)connects, OPEN, CLOSING, CLOSED. */
    public ReadyState readyState() {
        return socket.readyState();
    }

    /** The server's id for the current connection (from its {@code connect} push), or null before the first. */
    public synchronized String clientId() {
        return clientId;
    }

    /**
     * Subscribes to {@code channel}; {@code handler} gets each publication once, in offset order,
     * on the client's event loop. With a cursor {@code since} ({@code "<offset>:<epoch>"}, or null
     * for live only) the server first replays what came after it. The future completes once the
     * server confirmed; while disconnected it waits for the connection.
     */
    public CompletableFuture<Subscription> subscribe(String channel, Consumer<Publication> handler, String since) {
        Subscription subscription;
        synchronized (this) {
            if (subscriptions.containsKey(channel)) {
                return CompletableFuture.failedFuture(new IllegalStateException("already subscribed to " + channel));
            }
            subscription = new Subscription(this, channel, handler, since == null ? null : StreamPosition.parse(since));
            subscriptions.put(channel, subscription);
            if (open) {
                sendSubscribe(subscription);
            }
        }
        return subscription.subscribed;
    }

    /** Publishes a JSON value (as JSON text) to {@code channel}; completes with the publication's position. */
    public CompletableFuture<StreamPosition> publish(String channel, String data) {
        JsonNode value;
        try {
            value = JSON.readTree(data);
        } catch (JsonProcessingException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("data is not JSON: " + e.getOriginalMessage()));
        }
        return command("publish", json -> {
            json.writeStringField("channel", channel);
            json.writeFieldName("data");
            json.writeTree(value);
        }, ChannelClient::position);
    }

    /** Up to {@code limit} kept publications of {@code channel} after the cursor {@code since} (null: from the oldest kept). */
    public CompletableFuture<History> history(String channel, String since, int limit) {
        return command("history", json -> {
            json.writeStringField("channel", channel);
            if (since != null) {
                json.writeStringField("since", since);
            }
            json.writeNumberField("limit", limit);
        }, body -> {
            List<Publication> publications = new ArrayList<>();
            for (JsonNode p : body.path("publications")) {
                publications.add(new Publication(channel, p.path("offset").asLong(), body.path("epoch").asText(), text(p.get("data"))));
            }
            return new History(publications, position(body), body.path("recovered").asBoolean());
        });
    }

    /** Who is subscribed to {@code channel}, on every node, in join order. */
    public CompletableFuture<List<Member>> presence(String channel) {
        return command("presence", json -> json.writeStringField("channel", channel), body -> {
            List<Member> members = new ArrayList<>();
            for (JsonNode c : body.path("clients")) {
                members.add(new Member(c.path("client").asText(), c.hasNonNull("user") ? c.get("user").asText() : null));
            }
            return members;
        });
    }

    /** Closes the connection (1000) and stops reconnecting; waiting futures fail. */
    @Override
    public void close() {
        socket.close(CloseCode.NORMAL, "");
    }

    CompletableFuture<Void> unsubscribe(Subscription subscription) {
        synchronized (this) {
            if (subscriptions.get(subscription.channel()) != subscription) {
                return CompletableFuture.completedFuture(null);
            }
            subscriptions.remove(subscription.channel());
            if (!open) {
                return CompletableFuture.completedFuture(null);
            }
        }
        return command("unsubscribe", json -> json.writeStringField("channel", subscription.channel()), body -> null);
    }

    // ---------------------------------------------------------------- sending

    /** Writes the fields of one command's body. */
    @FunctionalInterface
    private interface Fields {
        void write(JsonGenerator json) throws IOException;
    }

    private <T> CompletableFuture<T> command(String name, Fields fields, Function<JsonNode, T> reply) {
        CompletableFuture<T> future = new CompletableFuture<>();
        synchronized (this) {
            if (!open) {
                future.completeExceptionally(new IllegalStateException("not connected (readyState " + socket.readyState() + ")"));
                return future;
            }
            send(name, fields, new Pending<>(future, reply));
        }
        return future;
    }

    /** Sends a command with a fresh id and remembers what to do with its reply; holds the lock so ids go out in order. */
    private synchronized void send(String name, Fields fields, Pending<?> waiting) {
        long id = ++lastId;
        StringWriter text = new StringWriter(128);
        try (JsonGenerator json = JSON.getFactory().createGenerator(text)) {
            json.writeStartObject();
            json.writeNumberField("id", id);
            json.writeObjectFieldStart(name);
            fields.write(json);
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pending.put(id, waiting);
        try {
            socket.send(text.toString());
        } catch (IllegalStateException e) {
            pending.remove(id);
            waiting.future().completeExceptionally(e);
        }
    }

    private void sendSubscribe(Subscription subscription) {
        StreamPosition since = subscription.position;
        CompletableFuture<Boolean> reply = new CompletableFuture<>();
        send("subscribe", json -> {
            json.writeStringField("channel", subscription.channel());
            if (since != null) {
                json.writeStringField("since", since.toString());
            }
        }, new Pending<>(reply, body -> subscribed(subscription, body)));
        reply.whenComplete((ok, failure) -> {
            if (failure instanceof ChannelException) {
                synchronized (this) {
                    subscriptions.remove(subscription.channel(), subscription);
                }
                subscription.subscribed.completeExceptionally(failure);
            }
        });
    }

    /** Sends a fresh token as {@code command} ("connect" or "refresh") and plans the next refresh before it expires. */
    private synchronized void authenticate(String command, long forConnection) {
        if (!open || connection != forConnection) {
            return;
        }
        String token;
        try {
            token = tokens.get();
        } catch (RuntimeException e) {
            log.warn("the token supplier failed: {}", e.toString());
            return;
        }
        CompletableFuture<Long> expires = new CompletableFuture<>();
        send(command, json -> json.writeStringField("token", token),
                new Pending<>(expires, body -> body.has("expires") ? body.get("expires").asLong() : 0L));
        expires.whenComplete((epochSeconds, failure) -> {
            if (failure != null) {
                log.warn("{} refused: {}", command, failure.getMessage());
            } else if (epochSeconds > 0) {
                long left = epochSeconds * 1000 - System.currentTimeMillis();
                long delay = Math.max(1000, Math.min(left - 10_000, left * 8 / 10));
                CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(() -> authenticate("refresh", forConnection));
            }
        });
    }

    /** The subscribe reply: recovered publications follow it; without a cursor to keep, continue from its position. */
    private boolean subscribed(Subscription subscription, JsonNode body) {
        boolean recovered = body.path("recovered").asBoolean();
        synchronized (this) {
            subscription.recovered = recovered;
            if (subscription.position == null || !recovered) {
                if (subscription.position != null) {
                    log.warn("channel {}: could not recover from {}; continuing from the current position", subscription.channel(), subscription.position);
                }
                subscription.position = position(body);
            }
        }
        subscription.subscribed.complete(subscription);
        return recovered;
    }

    // ---------------------------------------------------------------- receiving

    private void onMessage(String text) {
        JsonNode message;
        try {
            message = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            log.warn("ignoring a message that is not JSON: {}", e.getOriginalMessage());
            return;
        }
        if (message.has("id")) {
            onReply(message);
        } else if (message.has("pub")) {
            JsonNode pub = message.get("pub");
            onPublication(new Publication(pub.path("channel").asText(), pub.path("offset").asLong(), pub.path("epoch").asText(), text(pub.get("data"))));
        } else if (message.has("connect")) {
            synchronized (this) {
                clientId = message.get("connect").path("client").asText();
            }
        }
    }

    private void onReply(JsonNode message) {
        long id = message.get("id").asLong();
        Pending<?> waiting;
        synchronized (this) {
            waiting = pending.remove(id);
        }
        JsonNode error = message.get("error");
        if (waiting == null) {
            if (error != null) {
                log.warn("error reply to no command: {}", error);
            }
            return;
        }
        if (error != null) {
            waiting.future().completeExceptionally(new ChannelException(error.path("code").asInt(),
                    error.path("name").isTextual() ? error.path("name").asText() : null, error.path("message").asText()));
            return;
        }
        for (var field : message.properties()) {
            if (!field.getKey().equals("id")) {
                waiting.complete(field.getValue());
                return;
            }
        }
        waiting.future().completeExceptionally(new IOException("reply without a body: " + message));
    }

    private void onPublication(Publication publication) {
        Subscription subscription;
        synchronized (this) {
            subscription = subscriptions.get(publication.channel());
        }
        if (subscription != null && subscription.accept(publication)) {
            try {
                subscription.handler.accept(publication);
            } catch (RuntimeException e) {
                // One failing handler must not cost every subscription its connection.
                log.warn("handler of channel {} failed on offset {}", publication.channel(), publication.offset(), e);
            }
        }
    }

    /** The connection is gone: replies will not come; subscriptions are redone on the next open. */
    private void onDisconnected(boolean forGood) {
        List<Pending<?>> lost;
        List<Subscription> ended = List.of();
        synchronized (this) {
            open = false;
            lost = new ArrayList<>(pending.values());
            pending.clear();
            if (forGood) {
                ended = new ArrayList<>(subscriptions.values());
            }
        }
        IOException cause = new IOException(forGood ? "connection closed" : "connection lost; reconnecting");
        for (Pending<?> waiting : lost) {
            waiting.future().completeExceptionally(cause);
        }
        for (Subscription subscription : ended) {
            subscription.subscribed.completeExceptionally(cause);
        }
    }

    private static StreamPosition position(JsonNode body) {
        return new StreamPosition(body.path("offset").asLong(), body.path("epoch").asText());
    }

    private static String text(JsonNode value) {
        return value == null ? "null" : value.toString();
    }

    /** The socket's events, turned into protocol actions. */
    private final class Events implements ReconnectingWebSocket.Listener {

        @Override
        public void onOpen(ClientWebSocket webSocket) {
            synchronized (ChannelClient.this) {
                open = true;
                connection++;
                if (tokens != null) {
                    // The server runs commands in order: the subscribes below are already authenticated.
                    authenticate("connect", connection);
                }
                for (Subscription subscription : subscriptions.values()) {
                    sendSubscribe(subscription);
                }
            }
        }

        @Override
        public void onMessage(ClientWebSocket webSocket, String text) {
            ChannelClient.this.onMessage(text);
        }

        @Override
        public void onReconnect(ReconnectingWebSocket webSocket, int attempt, Duration delay) {
            onDisconnected(false);
        }

        @Override
        public void onClosed(ClientWebSocket webSocket, int code, String reason) {
            onDisconnected(true);
        }

        @Override
        public void onFailure(ClientWebSocket webSocket, Throwable cause) {
            log.debug("{}: {}", webSocket.uri(), cause.toString());
        }
    }

    @Override
    public String toString() {
        return "ChannelClient[" + socket.uri() + ", " + readyState() + "]";
    }
}
