package io.switchboard.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One local subscriber: the lane it is delivered on and its subscriptions by channel. Most
 * subscribers (a chat connection, an event stream of one channel) hold one subscription, kept in a
 * field: a map is made only for a second one, so an idle connection does not carry an empty table.
 */
final class SubscriberState extends Lane.Sink {

    final Subscriber subscriber;
    final Lane lane;
    /** The subscription while there is exactly one, else null; guarded by the {@link Registry}'s lock, like {@link #several}. */
    private Subscription one;
    /** Every subscription by channel once there were two at a time; null before. */
    private Map<String, Subscription> several;

    SubscriberState(Subscriber subscriber, Lane lane) {
        this.subscriber = subscriber;
        this.lane = lane;
    }

    /** The subscription to {@code channel}, or null. */
    Subscription get(String channel) {
        if (several != null) {
            return several.get(channel);
        }
        return one != null && one.name().equals(channel) ? one : null;
    }

    /** Adds {@code subscription}; the caller checked that its channel has none yet. */
    void add(Subscription subscription) {
        if (several != null) {
            several.put(subscription.name(), subscription);
        } else if (one == null) {
            one = subscription;
        } else {
            several = new HashMap<>();
            several.put(one.name(), one);
            several.put(subscription.name(), subscription);
            one = null;
        }
    }

    /** Removes {@code subscription}; false when it is not the one held for its channel. */
    boolean remove(Subscription subscription) {
        if (several != null) {
            return several.remove(subscription.name(), subscription);
        }
        if (one == subscription) {
            one = null;
            return true;
        }
        return false;
    }

    /** How many subscriptions it holds. */
    int size() {
        return several != null ? several.size() : one != null ? 1 : 0;
    }

    /** A copy of its subscriptions. */
    List<Subscription> all() {
        if (several != null) {
            return new ArrayList<>(several.values());
        }
        return one != null ? List.of(one) : List.of();
    }

    @Override
    void flush() {
        subscriber.flush();
    }
}
