package io.switchboard.core;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * The node-local entry point of the channel model: subscribe (with recovery), unsubscribe,
 * publish, history and presence, over a {@link Broker}. Transports talk only to the hub.
 *
 * <p>Thread-safe. Deliveries to subscribers are grouped by {@link Subscriber#executor()}.
 */
public final class Hub implements AutoCloseable {

    /** A hub over the given broker, with the given limits. */
    public Hub(Broker broker, HubConfig config) {
        throw new UnsupportedOperationException("TODO core helper");
    }

    /**
     * Publishes {@code data} (JSON text) to {@code channel}. Completes with the message as stored
     * (offset and epoch assigned by the broker) once the broker has accepted it.
     *
     * @param origin the publishing client's id, or null
     */
    public CompletionStage<Message> publish(String channel, String data, String origin) {
        throw new UnsupportedOperationException("TODO core helper");
    }

    /**
     * Subscribes; with {@code since} non-null, first replays every message after it (recovery),
     * with no gap and no duplicate at the seam between replayed and live messages.
     */
    public CompletionStage<SubscribeResult> subscribe(String channel, Subscriber subscriber, StreamPosition since, ClientInfo client) {
        throw new UnsupportedOperationException("TODO core helper");
    }

    /** Stops deliveries of {@code channel} to {@code subscriber}; a no-op when not subscribed. */
    public void unsubscribe(String channel, Subscriber subscriber) {
        throw new UnsupportedOperationException("TODO core helper");
    }

    /** Removes {@code subscriber} from every channel (its connection closed). */
    public void unsubscribeAll(Subscriber subscriber) {
        throw new UnsupportedOperationException("TODO core helper");
    }

    /** The messages after {@code since} (null: from the start of the kept history), at most {@code limit}. */
    public CompletionStage<HistoryResult> history(String channel, StreamPosition since, int limit) {
        throw new UnsupportedOperationException("TODO core helper");
    }

    /** Who is subscribed to {@code channel}, on every node. */
    public CompletionStage<List<ClientInfo>> presence(String channel) {
        throw new UnsupportedOperationException("TODO core helper");
    }

    @Override
    public void close() {
    }
}
