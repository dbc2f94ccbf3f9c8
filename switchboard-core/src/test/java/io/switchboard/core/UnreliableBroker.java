package io.switchboard.core;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link MemoryBroker} with the failures of a remote broker, on demand: live publications lost
 * on their way to the node (at-most-once pub/sub, as Redis while its connection is down), a restart
 * that loses every stream (a new epoch), presence entries that expire, subscribes that fail or wait,
 * and history reads that wait.
 */
final class UnreliableBroker extends ForwardingBroker {

    private final HubConfig config;
    private volatile MemoryBroker delegate;
    private volatile Listener listener;
    private final AtomicInteger liveToDrop = new AtomicInteger();
    private final Set<String> failingSubscribes = ConcurrentHashMap.newKeySet();
    private volatile CompletableFuture<Void> subscribeGate = CompletableFuture.completedFuture(null);
    private volatile CompletableFuture<Void> historyGate = CompletableFuture.completedFuture(null);
    private volatile boolean expiring;
    private final AtomicInteger historyReads = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();
    /** The node's subscribe and unsubscribe calls, in the order made, as {@code "subscribe chat"}. */
    final List<String> calls = new CopyOnWriteArrayList<>();

    UnreliableBroker(HubConfig config) {
        this.config = config;
        this.delegate = newDelegate();
    }

    /** The next {@code count} publications are stored but never reach the node live. */
    void dropLive(int count) {
        liveToDrop.addAndGet(count);
    }

    /** Loses every stream and presence entry: the channels go on in a new epoch. */
    void restart() {
        delegate = newDelegate();
    }

    /** The current epoch. */
    String epoch() {
        return delegate.epoch();
    }

    /** Forgets {@code channel}'s presence entries as an expiring broker does when nobody refreshes them. */
    void expirePresence(String channel) {
        MemoryBroker broker = delegate;
        expiring = true;
        try {
            for (ClientInfo client : broker.presence(channel).toCompletableFuture().join()) {
                broker.removePresence(channel, client);
            }
        } finally {
            expiring = false;
        }
    }

    /** Subscribes to {@code channel} fail from now on. */
    void failSubscribes(String channel) {
        failingSubscribes.add(channel);
    }

    /** Subscribe calls wait until the returned gate is completed. */
    CompletableFuture<Void> holdSubscribes() {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        subscribeGate = gate;
        return gate;
    }

    /** History reads wait until the returned gate is completed. */
    CompletableFuture<Void> holdHistory() {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        historyGate = gate;
        return gate;
    }

    /** How many live publications were lost on their way to the node. */
    int dropped() {
        return dropped.get();
    }

    /** How many history reads with at least one message asked for were made. */
    int historyReads() {
        return historyReads.get();
    }

    private MemoryBroker newDelegate() {
        MemoryBroker broker = new MemoryBroker(config);
        broker.listen(new Listener() {
            @Override
            public void onPublication(Message message) {
                if (broker != delegate) {
                    return;
                }
                if (liveToDrop.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
                    listener.onPublication(message);
                } else {
                    dropped.incrementAndGet();
                }
            }

            @Override
            public void onJoin(String channel, ClientInfo client) {
                listener.onJoin(channel, client);
            }

            @Override
            public void onLeave(String channel, ClientInfo client) {
                if (!expiring) {
                    listener.onLeave(channel, client);
                }
            }
        });
        return broker;
    }

    @Override
    Broker delegate() {
        return delegate;
    }

    @Override
    public void listen(Listener listener) {
        this.listener = listener;
    }

    @Override
    public CompletionStage<Void> subscribe(String channel) {
        calls.add("subscribe " + channel);
        if (failingSubscribes.contains(channel)) {
            return CompletableFuture.failedFuture(new IllegalStateException("broker unreachable"));
        }
        return subscribeGate.thenCompose(ignored -> delegate.subscribe(channel));
    }

    @Override
    public CompletionStage<Void> unsubscribe(String channel) {
        calls.add("unsubscribe " + channel);
        return delegate.unsubscribe(channel);
    }

    @Override
    public CompletionStage<HistoryResult> history(String channel, StreamPosition since, int limit) {
        if (limit > 0) {
            historyReads.incrementAndGet();
        }
        return historyGate.thenCompose(ignored -> delegate.history(channel, since, limit));
    }
}
