package io.switchboard.core;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Who is subscribed to what on this node: channels with their subscriptions, subscribers with
 * their lanes, and the per-client limits. One lock guards the bookkeeping, held only for short,
 * non-blocking sections; the broker's subscribe and unsubscribe calls it decides on are made after
 * the lock is released.
 */
final class Registry {

    private final Broker broker;
    private final HubConfig config;
    private final ScheduledExecutorService timer;
    private final Attachments attachments;
    /** Channels with local subscribers; read lock-free by deliveries, written under {@link #lock}. */
    private final ConcurrentHashMap<String, ChannelState> channels = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private final Map<Executor, Lane> lanes = new HashMap<>();
    private final Map<Subscriber, SubscriberState> subscribers = new HashMap<>();
    /**
     * Channels per identified client, by client id. An anonymous subscriber counts as its own client,
     * whose channels are its subscriptions: it has no entry here.
     */
    private final Map<String, SmallSet> clientChannels = new HashMap<>();
    /** Publications handed to local subscribers, summed by the lanes once per batch. */
    final LongAdder delivered = new LongAdder();

    Registry(Broker broker, HubConfig config, ScheduledExecutorService timer) {
        this.broker = broker;
        this.config = config;
        this.timer = timer;
        this.attachments = new Attachments(broker);
    }

    /** The channel's state when it has local subscribers, else null; lock-free. */
    ChannelState channel(String name) {
        return channels.get(name);
    }

    /** Applies {@code action} to every channel with local subscribers; lock-free. */
    void forEachChannel(Consumer<ChannelState> action) {
        channels.values().forEach(action);
    }

    int channelCount() {
        return channels.size();
    }

    int subscriberCount() {
        synchronized (lock) {
            return subscribers.size();
        }
    }

    /**
     * Registers a (buffering) subscription, or throws a {@link ProtocolException} when the client
     * is already subscribed to {@code channel} or at its limit. The first subscription of a channel
     * subscribes the node to it at the broker.
     */
    Subscription add(String channel, Subscriber subscriber, ClientInfo client) {
        try {
            synchronized (lock) {
                return register(channel, subscriber, client);
            }
        } finally {
            attachments.start();
        }
    }

    /** Unregisters {@code subscription} if it still is; the last one of a channel unsubscribes the node. */
    void remove(Subscription subscription) {
        try {
            synchronized (lock) {
                unregister(subscription);
            }
        } finally {
            attachments.start();
        }
    }

    /** Unregisters the subscription of {@code subscriber} to {@code channel}; returns it, or null. */
    Subscription remove(String channel, Subscriber subscriber) {
        try {
            synchronized (lock) {
                SubscriberState owner = subscribers.get(subscriber);
                Subscription subscription = owner == null ? null : owner.get(channel);
                if (subscription != null) {
                    unregister(subscription);
                }
                return subscription;
            }
        } finally {
            attachments.start();
        }
    }

    /** Unregisters every subscription of {@code subscriber}; returns them. */
    List<Subscription> removeAll(Subscriber subscriber) {
        try {
            synchronized (lock) {
                SubscriberState owner = subscribers.get(subscriber);
                if (owner == null) {
                    return List.of();
                }
                List<Subscription> removed = owner.all();
                for (Subscription s : removed) {
                    unregister(s);
                }
                return removed;
            }
        } finally {
            attachments.start();
        }
    }

    // ---- callers hold 'lock' ----

    private Subscription register(String channel, Subscriber subscriber, ClientInfo client) {
        SubscriberState owner = subscribers.get(subscriber);
        SmallSet joined = client != null ? clientChannels.get(client.clientId()) : null;
        boolean already = client != null ? joined != null && joined.contains(channel) : owner != null && owner.get(channel) != null;
        if (already) {
            throw new ProtocolException(ErrorCode.ALREADY_SUBSCRIBED, "already subscribed to " + channel);
        }
        int held = client != null ? (joined == null ? 0 : joined.size()) : owner != null ? owner.size() : 0;
        if (held >= config.maxSubscriptionsPerClient()) {
            throw new ProtocolException(ErrorCode.TOO_MANY_SUBSCRIPTIONS,
                    "at most " + config.maxSubscriptionsPerClient() + " subscriptions per connection");
        }
        if (owner == null) {
            Lane lane = lanes.computeIfAbsent(subscriber.executor(), executor -> new Lane(executor, delivered));
            owner = new SubscriberState(subscriber, lane);
            subscribers.put(subscriber, owner);
        }
        if (owner.get(channel) != null) {
            throw new ProtocolException(ErrorCode.ALREADY_SUBSCRIBED, "already subscribed to " + channel);
        }
        ChannelState state = channels.get(channel);
        if (state == null) {
            state = new ChannelState(channel, attachments.subscribe(channel), broker, timer);
            channels.put(channel, state);
        }
        Subscription subscription = new Subscription(owner, state, client);
        owner.add(subscription);
        owner.lane.references++;
        if (client != null) {
            clientChannels.computeIfAbsent(client.clientId(), k -> new SmallSet()).add(channel);
        }
        state.add(subscription);
        return subscription;
    }

    private void unregister(Subscription subscription) {
        subscription.close();
        SubscriberState owner = subscription.owner;
        String channel = subscription.name();
        if (!owner.remove(subscription)) {
            return;
        }
        if (owner.size() == 0) {
            subscribers.remove(owner.subscriber);
        }
        if (--owner.lane.references == 0) {
            lanes.remove(owner.lane.executor, owner.lane);
        }
        if (subscription.client != null) {
            SmallSet joined = clientChannels.get(subscription.client.clientId());
            if (joined != null && joined.remove(channel) && joined.isEmpty()) {
                clientChannels.remove(subscription.client.clientId());
            }
        }
        if (subscription.channel.remove(subscription)) {
            channels.remove(channel, subscription.channel);
            attachments.unsubscribe(channel);
        }
    }
}
