package io.switchboard.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
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
 * <p>Live delivery from the broker is at-most-once: each subscription fills a gap in offsets from
 * history, or reports it with {@link Subscriber#onNotRecovered}, and the hub checks every channel's
 * position at the broker every {@link HubConfig#positionCheckInterval()} to catch a lost last
 * message. It refreshes its clients' presence entries every third of {@link HubConfig#presenceTtl()}
 * or of {@link Broker#presenceTtl()}, whichever is shorter.
 *
 * <p>Refusals complete the returned stage exceptionally with a {@link ProtocolException}
 * (bad channel name, already subscribed, too many subscriptions, negative limit).
 */
public final class Hub implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Hub.class);

    private final Broker broker;
    private final HubConfig config;
    private final Registry registry;
    /** Runs the periodic position checks, presence refreshes and gap read retries. */
    private final ScheduledExecutorService timer;
    /** Publications accepted by {@link #publish} on this node. */
    private final LongAdder published = new LongAdder();
    private volatile boolean closed;
    private final ChannelSettings settings;

    /** A hub over the given broker, with the given limits. The hub owns the broker and closes it. */
    public Hub(Broker broker, HubConfig config) {
        this(broker, config, ChannelSettings.uniform(config));
    }

    /** A hub over the given broker, with the given limits and per-channel {@code settings}. The hub owns the broker and closes it. */
    public Hub(Broker broker, HubConfig config, ChannelSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.broker = Objects.requireNonNull(broker, "broker");
        this.config = Objects.requireNonNull(config, "config");
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "switchboard-hub-timer");
            thread.setDaemon(true);
            return thread;
        });
        this.registry = new Registry(broker, config, timer);
        broker.listen(new BrokerListener());
        every(config.positionCheckInterval(), this::checkPositions);
        every(presenceRefreshPeriod(config, broker), this::refreshPresence);
    }

    /** A third of the shorter of this hub's presence TTL and the broker's (zero: the hub never refreshes). */
    private static Duration presenceRefreshPeriod(HubConfig config, Broker broker) {
        Duration ttl = config.presenceTtl();
        Duration brokerTtl = broker.presenceTtl();
        if (!ttl.isZero() && brokerTtl != null && brokerTtl.compareTo(ttl) < 0) {
            ttl = brokerTtl;
        }
        return ttl.dividedBy(3);
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
        return broker.publish(channel, data, origin, settings.publishOptions(channel));
    }

    /** Takes or keeps a cluster-wide lease for {@code holder} ({@link Broker#lease}); true while it holds it. */
    public CompletionStage<Boolean> lease(String name, String holder, Duration ttl) {
        return broker.lease(name, holder, ttl);
    }

    /** How many publications this node accepted through {@link #publish} (for metrics). */
    public long publishedCount() {
        return published.sum();
    }

    /** How many times a publication was handed to a local subscriber (for metrics). */
    public long deliveredCount() {
        return registry.delivered.sum();
    }

    /** Channels with at least one local subscriber. */
    public int channelCount() {
        return registry.channelCount();
    }

    /** Local subscribers (connections, polls, streams) with at least one subscription. */
    public int subscriberCount() {
        return registry.subscriberCount();
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
        try {
            ChannelName.validate(channel, config.maxChannelLength());
            Objects.requireNonNull(subscriber, "subscriber");
            checkOpen();
            subscription = registry.add(channel, subscriber, client);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<SubscribeResult> result = new CompletableFuture<>();
        // Registered (buffering) before history is read: whatever the read misses arrives live. The
        // read waits for the broker's subscribe, so the reply comes once the live stream reaches the node.
        int limit = since == null ? 0 : Integer.MAX_VALUE;
        subscription.channel.attached.thenCompose(ignored -> broker.history(channel, since, limit)).whenComplete((history, error) -> {
            if (error != null) {
                registry.remove(subscription);
                result.completeExceptionally(error);
            } else {
                // Present only once subscribed: a subscribe that fails leaves no presence behind.
                subscription.join(broker);
                subscription.owner.lane.enqueue(new Subscription.Recovery(subscription, since, history, result));
            }
        });
        return result;
    }

    /** Stops deliveries of {@code channel} to {@code subscriber}; a no-op when not subscribed. */
    public void unsubscribe(String channel, Subscriber subscriber) {
        Subscription subscription = registry.remove(channel, subscriber);
        if (subscription != null) {
            subscription.leave(broker);
        }
    }

    /** Removes {@code subscriber} from every channel (its connection closed). */
    public void unsubscribeAll(Subscriber subscriber) {
        for (Subscription s : registry.removeAll(subscriber)) {
            s.leave(broker);
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
        timer.shutdownNow();
        broker.close();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("hub is closed");
        }
    }

    // ---- periodic work (on the timer) ----

    private void every(Duration period, Runnable work) {
        if (period.isNegative() || period.isZero()) {
            return;
        }
        long millis = Math.max(1, period.toMillis());
        timer.scheduleWithFixedDelay(() -> {
            try {
                work.run();
            } catch (RuntimeException e) {
                log.warn("periodic hub work failed", e);
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Asks the broker for each channel's latest position: a lost last message shows only this way. */
    private void checkPositions() {
        registry.forEachChannel(state -> {
            CompletableFuture<Void> attached = state.attached;
            if (attached.isDone() && !attached.isCompletedExceptionally()) {
                broker.history(state.name, null, 0).whenComplete((history, error) -> {
                    if (error == null) {
                        state.check(history.position());
                    } else {
                        log.debug("position check of {} failed", state.name, error);
                    }
                });
            }
        });
    }

    /** Adds this node's live presence entries again, before a broker that expires them drops them. */
    private void refreshPresence() {
        registry.forEachChannel(state -> state.forEach(s -> s.refreshPresence(broker)));
    }

    /** Hands broker events to the channel they belong to, when it has local subscribers. */
    private final class BrokerListener implements Broker.Listener {
        @Override
        public void onPublication(Message message) {
            ChannelState state = registry.channel(message.channel());
            if (state != null) {
                state.publish(message);
            }
        }

        @Override
        public void onJoin(String channel, ClientInfo client) {
            ChannelState state = registry.channel(channel);
            if (state != null && settings.joinLeave(channel)) {
                state.presenceChanged(client, true);
            }
        }

        @Override
        public void onLeave(String channel, ClientInfo client) {
            ChannelState state = registry.channel(channel);
            if (state != null && settings.joinLeave(channel)) {
                state.presenceChanged(client, false);
            }
        }
    }
}
