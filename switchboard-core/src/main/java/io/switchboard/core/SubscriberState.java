package io.switchboard.core;

import java.util.HashMap;
import java.util.Map;

/** One local subscriber: the lane it is delivered on and its subscriptions by channel. */
final class SubscriberState extends Lane.Sink {

    final Subscriber subscriber;
    final Lane lane;
    /** Guarded by the {@link Registry}'s lock. */
    final Map<String, Subscription> subscriptions = new HashMap<>();

    SubscriberState(Subscriber subscriber, Lane lane) {
        this.subscriber = subscriber;
        this.lane = lane;
    }

    @Override
    void flush() {
        subscriber.flush();
    }
}
