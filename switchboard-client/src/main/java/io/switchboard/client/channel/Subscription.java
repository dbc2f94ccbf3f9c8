package io.switchboard.client.channel;

import io.switchboard.core.StreamPosition;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A subscription to one channel: it remembers the position of the last publication delivered and,
 * after a reconnect, subscribes again from there, so a dropped connection loses nothing and
 * delivers nothing twice.
 */
public final class Subscription {

    private final ChannelClient client;
    private final String channel;
    final Consumer<Publication> handler;
    final CompletableFuture<Subscription> subscribed = new CompletableFuture<>();
    // Guarded by the client.
    StreamPosition position;
    boolean recovered;

    Subscription(ChannelClient client, String channel, Consumer<Publication> handler, StreamPosition since) {
        this.client = client;
        this.channel = channel;
        this.handler = handler;
        this.position = since;
    }

    /** The channel subscribed to. */
    public String channel() {
        return channel;
    }

    /** The cursor to resume from: after the last publication delivered, or the position subscribed at. */
    public String cursor() {
        synchronized (client) {
            return position == null ? null : position.toString();
        }
    }

    /**
     * Whether the last subscribe (the first, or the one after a reconnect) recovered every
     * publication after its cursor; when false some were lost and the application should reload.
     */
    public boolean recovered() {
        synchronized (client) {
            return recovered;
        }
    }

    /** Stops the subscription; completes when the server confirms (at once when not connected). */
    public CompletableFuture<Void> unsubscribe() {
        return client.unsubscribe(this);
    }

    /** Delivers a pushed publication once: one at or before the remembered position was already delivered. */
    boolean accept(Publication publication) {
        synchronized (client) {
            if (position != null && position.epoch().equals(publication.epoch()) && publication.offset() <= position.offset()) {
                return false;
            }
            position = new StreamPosition(publication.offset(), publication.epoch());
            return true;
        }
    }

    @Override
    public String toString() {
        return "Subscription[" + channel + " at " + cursor() + "]";
    }
}
