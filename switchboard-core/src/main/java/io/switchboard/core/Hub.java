package io.switchboard.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

/**
 * The node-local entry point of the channel model: subscribe (with recovery), unsubscribe,
 * publish, history and presence, over a {@link Broker}. Transports talk only to the hub.
 *
 * <p>Thread-safe. Deliveries to subscribers are grouped by {@link Subscriber#executor()}: per
 * executor one task delivers a batch of messages to all of its subscribers, then flushes each
 * subscriber that received something once. All callbacks of a subscriber, and the completion of
 * its {@link #subscribe} stage, run in that executor's delivery tasks, one at a time and in order.
 *
 * <p>Refusals complete the returned stage exceptionally with a {@link ProtocolException}
 * (bad channel name, already subscribed, too many subscriptions, negative limit).
 */
public final class Hub implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Hub.class);

    private final Broker broker;
    private final HubConfig config;

    /** Channels with local subscribers; read lock-free by deliveries, written under {@link #registry}. */
    private final ConcurrentHashMap<String, ChannelState> channels = new ConcurrentHashMap<>();
    /** Guards the bookkeeping below; held only for short, non-blocking sections. */
    private final Object registry = new Object();
    private final Map<Executor, Lane> lanes = new HashMap<>();
    private final Map<Subscriber, SubscriberState> subscribers = new HashMap<>();
    /** Channels per client (its client id, or the subscriber itself when anonymous). */
    private final Map<Object, Set<String>> clientChannels = new HashMap<>();
    /** Publications accepted by {@link #publish} on this node, and publications handed to local subscribers. */
    private final LongAdder published = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private volatile boolean closed;

    /** A hub over the given broker, with the given limits. The hub owns the broker and closes it. */
    public Hub(Broker broker, HubConfig config) {
        this.broker = Objects.requireNonNull(broker, "broker");
        this.config = Objects.requireNonNull(config, "config");
        broker.listen(new BrokerListener());
    }

    /** A single-node hub over a {@link MemoryBroker}. */
    public static Hub inMemory(HubConfig config) {
        return new Hub(new MemoryBroker(config), config);
    }

    /** The limits this hub enforces. */
    public HubConfig config() {
        return config;
    }

    /**
     * Publishes {@code data} (JSON text) to {@code channel}. Completes with the message as stored
     * (offset and epoch assigned by the broker) once the broker has accepted it.
     *
     * @param origin the publishing client's id, or null
     */
    public CompletionStage<Message> publish(String channel, String data, String origin) {
        try {
            ChannelName.validate(channel, config.maxChannelLength());
            Objects.requireNonNull(data, "data");
            checkOpen();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        published.increment();
        return broker.publish(channel, data, origin, PublishOptions.of(config));
    }

    /** How many publications this node accepted through {@link #publish} (for metrics). */
    public long publishedCount() {
        return published.sum();
    }

    /** How many times a publication was handed to a local subscriber (for metrics). */
    public long deliveredCount() {
        return delivered.sum();
    }

    /** Channels with at least one local subscriber. */
    public int channelCount() {
        return channels.size();
    }

    /** Local subscribers (connections, polls, streams) with at least one subscription. */
    public int subscriberCount() {
        synchronized (registry) {
            return subscribers.size();
        }
    }

    /**
     * Subscribes; with {@code since} non-null, first replays every message after it (recovery),
     * with no gap and no duplicate at the seam between replayed and live messages.
     *
     * <p>The stage completes on the subscriber's executor, inside a delivery batch and before any
     * message of this subscription is delivered: a reply written in a callback attached right after
     * this call (on that executor) precedes the replayed messages and is flushed with them by
     * {@link Subscriber#flush()}. Its position is the cursor after which messages follow; without
     * {@code since}, {@code recovered} is false. A client identified by {@code client} (null: none,
     * the subscriber then counts as the client) joins the channel's presence and may hold at most
     * {@link HubConfig#maxSubscriptionsPerClient()} subscriptions, one per channel.
     */
    public CompletionStage<SubscribeResult> subscribe(String channel, Subscriber subscriber, StreamPosition since, ClientInfo client) {
        Subscription subscription;
        ChannelState state;
        try {
            ChannelName.validate(channel, config.maxChannelLength());
            Objects.requireNonNull(subscriber, "subscriber");
            checkOpen();
            synchronized (registry) {
                subscription = register(channel, subscriber, client);
                state = channels.get(channel);
            }
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<SubscribeResult> result = new CompletableFuture<>();
        // Registered (buffering) before history is read: whatever the read misses arrives live.
        int limit = since == null ? 0 : Integer.MAX_VALUE;
        state.attached.thenCompose(ignored -> broker.history(channel, since, limit)).whenComplete((history, error) -> {
            if (error != null) {
                remove(subscription);
                result.completeExceptionally(error);
            } else {
                subscription.owner.lane.enqueue(new Recovery(subscription, since, history, result));
            }
        });
        if (client != null) {
            broker.addPresence(channel, client);
        }
        return result;
    }

    /** Stops deliveries of {@code channel} to {@code subscriber}; a no-op when not subscribed. */
    public void unsubscribe(String channel, Subscriber subscriber) {
        Subscription subscription;
        synchronized (registry) {
            SubscriberState owner = subscribers.get(subscriber);
            subscription = owner == null ? null : owner.subscriptions.get(channel);
            if (subscription != null) {
                unregister(subscription);
            }
        }
        if (subscription != null) {
            leave(subscription);
        }
    }

    /** Removes {@code subscriber} from every channel (its connection closed). */
    public void unsubscribeAll(Subscriber subscriber) {
        List<Subscription> removed;
        synchronized (registry) {
            SubscriberState owner = subscribers.get(subscriber);
            if (owner == null) {
                return;
            }
            removed = new ArrayList<>(owner.subscriptions.values());
            for (Subscription s : removed) {
                unregister(s);
            }
        }
        for (Subscription s : removed) {
            leave(s);
        }
    }

    /**
     * The messages after {@code since} (null: from the start of the kept history), oldest first,
     * at most {@code limit} (0: none, just the channel's position).
     */
    public CompletionStage<HistoryResult> history(String channel, StreamPosition since, int limit) {
        try {
            ChannelName.validate(channel, config.maxChannelLength());
            if (limit < 0) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "limit must be 0 or more");
            }
            checkOpen();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return broker.history(channel, since, limit);
    }

    /** Who is subscribed to {@code channel}, on every node. */
    public CompletionStage<List<ClientInfo>> presence(String channel) {
        try {
            ChannelName.validate(channel, config.maxChannelLength());
            checkOpen();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return broker.presence(channel);
    }

    /** Stops the hub and closes its broker; later calls fail with {@link IllegalStateException}. */
    @Override
    public void close() {
        closed = true;
        broker.close();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("hub is closed");
        }
    }

    // ---- registry (callers hold 'registry') ----

    private Subscription register(String channel, Subscriber subscriber, ClientInfo client) {
        Object clientKey = client != null ? client.clientId() : subscriber;
        Set<String> joined = clientChannels.get(clientKey);
        if (joined != null && joined.contains(channel)) {
            throw new ProtocolException(ErrorCode.ALREADY_SUBSCRIBED, "already subscribed to " + channel);
        }
        if (joined != null && joined.size() >= config.maxSubscriptionsPerClient()) {
            throw new ProtocolException(ErrorCode.TOO_MANY_SUBSCRIPTIONS,
                    "at most " + config.maxSubscriptionsPerClient() + " subscriptions per connection");
        }
        SubscriberState owner = subscribers.get(subscriber);
        if (owner == null) {
            Lane lane = lanes.computeIfAbsent(subscriber.executor(), executor -> new Lane(executor, delivered));
            owner = new SubscriberState(subscriber, lane);
            subscribers.put(subscriber, owner);
        }
        if (owner.subscriptions.containsKey(channel)) {
            throw new ProtocolException(ErrorCode.ALREADY_SUBSCRIBED, "already subscribed to " + channel);
        }
        Subscription subscription = new Subscription(channel, owner, client, clientKey);
        owner.subscriptions.put(channel, subscription);
        owner.lane.references++;
        clientChannels.computeIfAbsent(clientKey, k -> new HashSet<>()).add(channel);
        ChannelState state = channels.get(channel);
        if (state == null) {
            state = new ChannelState(broker.subscribe(channel));
            channels.put(channel, state);
        }
        state.add(subscription);
        return subscription;
    }

    private void unregister(Subscription subscription) {
        subscription.state = Subscription.CLOSED;
        SubscriberState owner = subscription.owner;
        if (owner.subscriptions.remove(subscription.channel, subscription)) {
            if (owner.subscriptions.isEmpty()) {
                subscribers.remove(owner.subscriber);
            }
            if (--owner.lane.references == 0) {
                lanes.remove(owner.lane.executor, owner.lane);
            }
            Set<String> joined = clientChannels.get(subscription.clientKey);
            if (joined != null && joined.remove(subscription.channel) && joined.isEmpty()) {
                clientChannels.remove(subscription.clientKey);
            }
            ChannelState state = channels.get(subscription.channel);
            if (state != null && state.remove(subscription)) {
                channels.remove(subscription.channel);
                broker.unsubscribe(subscription.channel);
            }
        }
    }

    private void remove(Subscription subscription) {
        synchronized (registry) {
            unregister(subscription);
        }
    }

    private void leave(Subscription subscription) {
        if (subscription.client != null) {
            broker.removePresence(subscription.channel, subscription.client);
        }
    }

    // ---- delivery ----

    /** Turns broker events into lane tasks, one per executor with subscribers on the channel. */
    private final class BrokerListener implements Broker.Listener {
        @Override
        public void onPublication(Message message) {
            ChannelState state = channels.get(message.channel());
            if (state != null) {
                for (Group group : state.groups) {
                    group.lane.enqueue(new Delivery(message, group.subscriptions));
                }
            }
        }

        @Override
        public void onJoin(String channel, ClientInfo client) {
            presenceChanged(channel, client, true);
        }

        @Override
        public void onLeave(String channel, ClientInfo client) {
            presenceChanged(channel, client, false);
        }

        private void presenceChanged(String channel, ClientInfo client, boolean joined) {
            ChannelState state = channels.get(channel);
            if (state != null) {
                for (Group group : state.groups) {
                    group.lane.enqueue(new PresenceChange(channel, client, joined, group.subscriptions));
                }
            }
        }
    }

    /** A message for the subscriptions of one lane, as they were when it arrived. */
    private static final class Delivery extends Lane.Task {
        private Message message;
        private Subscription[] subscriptions;

        Delivery(Message message, Subscription[] subscriptions) {
            this.message = message;
            this.subscriptions = subscriptions;
        }

        @Override
        void run(Lane lane) {
            for (Subscription s : subscriptions) {
                s.offer(message, lane);
            }
            // This node stays in the queue as its stub until the next poll: drop references early.
            message = null;
            subscriptions = null;
        }
    }

    /** A join or leave for the subscriptions of one lane. */
    private static final class PresenceChange extends Lane.Task {
        final String channel;
        final ClientInfo client;
        final boolean joined;
        private Subscription[] subscriptions;

        PresenceChange(String channel, ClientInfo client, boolean joined, Subscription[] subscriptions) {
            this.channel = channel;
            this.client = client;
            this.joined = joined;
            this.subscriptions = subscriptions;
        }

        @Override
        void run(Lane lane) {
            for (Subscription s : subscriptions) {
                s.offer(this, lane);
            }
            subscriptions = null;
        }
    }

    /** Ends a subscription's buffering: answer, replay history, release the buffer, go live. */
    private static final class Recovery extends Lane.Task {
        private final Subscription subscription;
        private final StreamPosition since;
        private final HistoryResult history;
        private final CompletableFuture<SubscribeResult> result;

        Recovery(Subscription subscription, StreamPosition since, HistoryResult history, CompletableFuture<SubscribeResult> result) {
            this.subscription = subscription;
            this.since = since;
            this.history = history;
            this.result = result;
        }

        @Override
        void run(Lane lane) {
            subscription.recover(since, history, result, lane);
        }
    }

    /** One subscriber: its lane and subscriptions (guarded by the registry lock), its batch mark. */
    static final class SubscriberState {
        final Subscriber subscriber;
        final Lane lane;
        final Map<String, Subscription> subscriptions = new HashMap<>();
        /** Received something in the running batch; touched only on the lane. */
        boolean dirty;

        SubscriberState(Subscriber subscriber, Lane lane) {
            this.subscriber = subscriber;
            this.lane = lane;
        }
    }

    /** One subscriber on one channel. Its delivery state is touched only by its lane's tasks. */
    private static final class Subscription {
        static final int BUFFERING = 0;
        static final int LIVE = 1;
        static final int CLOSED = 2;

        final String channel;
        final SubscriberState owner;
        final ClientInfo client;
        final Object clientKey;
        volatile int state = BUFFERING;
        /** Live events that arrived while the history was being read; null once live. */
        private List<Object> buffer = new ArrayList<>();
        private String epoch;
        private long lastOffset;

        Subscription(String channel, SubscriberState owner, ClientInfo client, Object clientKey) {
            this.channel = channel;
            this.owner = owner;
            this.client = client;
            this.clientKey = clientKey;
        }

        void offer(Object event, Lane lane) {
            int s = state;
            if (s == LIVE) {
                deliver(event, lane);
            } else if (s == BUFFERING) {
                buffer.add(event);
            }
        }

        void recover(StreamPosition since, HistoryResult history, CompletableFuture<SubscribeResult> result, Lane lane) {
            boolean recovered = since != null && history.complete();
            StreamPosition position = history.position();
            epoch = position.epoch();
            lastOffset = recovered ? since.offset() : position.offset();
            if (!recovered && buffer != null) {
                // Publications that reached this subscription after it registered follow the
                // subscribe, even when the broker's position was read after they were stored.
                long first = firstBufferedOffset();
                if (first > 0 && first - 1 < lastOffset) {
                    lastOffset = first - 1;
                    position = new StreamPosition(lastOffset, epoch);
                }
            }
            result.complete(new SubscribeResult(position, recovered));
            // The reply the transport wrote in its callback goes out with this batch's flush.
            lane.markDirty(owner);
            if (state != BUFFERING) {
                return;
            }
            if (recovered) {
                for (Message m : history.messages()) {
                    deliver(m, lane);
                }
            }
            List<Object> buffered = buffer;
            buffer = null;
            for (Object event : buffered) {
                deliver(event, lane);
            }
            if (state == BUFFERING) {
                state = LIVE;
            }
        }

        /** The offset of the first buffered publication in this subscription's epoch, or 0. */
        private long firstBufferedOffset() {
            for (Object event : buffer) {
                if (event instanceof Message m && m.epoch().equals(epoch)) {
                    return m.offset();
                }
            }
            return 0;
        }

        private void deliver(Object event, Lane lane) {
            if (state == CLOSED) {
                return;
            }
            if (event instanceof Message m) {
                if (!m.epoch().equals(epoch)) {
                    // The stream was reset (a new epoch): its offsets start again.
                    epoch = m.epoch();
                    lastOffset = 0;
                }
                if (m.offset() <= lastOffset) {
                    return; // already delivered from history
                }
                lastOffset = m.offset();
                lane.delivered++;
                try {
                    owner.subscriber.onPublication(m);
                } catch (RuntimeException e) {
                    log.warn("subscriber failed on a publication of {}", channel, e);
                }
            } else {
                PresenceChange change = (PresenceChange) event;
                if (client != null && client.clientId().equals(change.client.clientId())) {
                    return; // a client is not told about itself
                }
                try {
                    if (change.joined) {
                        owner.subscriber.onJoin(channel, change.client);
                    } else {
                        owner.subscriber.onLeave(channel, change.client);
                    }
                } catch (RuntimeException e) {
                    log.warn("subscriber failed on a presence change of {}", channel, e);
                }
            }
            lane.markDirty(owner);
        }
    }

    /** A channel's local subscribers, grouped by lane; copy-on-write under the registry lock. */
    private static final class ChannelState {
        final CompletionStage<Void> attached;
        volatile Group[] groups = new Group[0];

        ChannelState(CompletionStage<Void> attached) {
            this.attached = attached;
        }

        void add(Subscription s) {
            Lane lane = s.owner.lane;
            Group[] gs = groups;
            for (int i = 0; i < gs.length; i++) {
                if (gs[i].lane == lane) {
                    Subscription[] subs = Arrays.copyOf(gs[i].subscriptions, gs[i].subscriptions.length + 1);
                    subs[subs.length - 1] = s;
                    Group[] copy = gs.clone();
                    copy[i] = new Group(lane, subs);
                    groups = copy;
                    return;
                }
            }
            Group[] copy = Arrays.copyOf(gs, gs.length + 1);
            copy[gs.length] = new Group(lane, new Subscription[] {s});
            groups = copy;
        }

        /** Removes {@code s}; true when the channel has no subscriptions left. */
        boolean remove(Subscription s) {
            Group[] gs = groups;
            for (int i = 0; i < gs.length; i++) {
                Subscription[] subs = gs[i].subscriptions;
                for (int j = 0; j < subs.length; j++) {
                    if (subs[j] == s) {
                        Group[] copy;
                        if (subs.length == 1) {
                            copy = new Group[gs.length - 1];
                            System.arraycopy(gs, 0, copy, 0, i);
                            System.arraycopy(gs, i + 1, copy, i, gs.length - i - 1);
                        } else {
                            Subscription[] fewer = new Subscription[subs.length - 1];
                            System.arraycopy(subs, 0, fewer, 0, j);
                            System.arraycopy(subs, j + 1, fewer, j, subs.length - j - 1);
                            copy = gs.clone();
                            copy[i] = new Group(gs[i].lane, fewer);
                        }
                        groups = copy;
                        return copy.length == 0;
                    }
                }
            }
            return gs.length == 0;
        }
    }

    /** The subscriptions of one channel on one lane. */
    private record Group(Lane lane, Subscription[] subscriptions) {
    }
}
