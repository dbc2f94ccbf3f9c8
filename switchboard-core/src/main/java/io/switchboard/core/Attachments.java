package io.switchboard.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The node's {@link Broker#subscribe} and {@link Broker#unsubscribe} calls, in order per channel:
 * each waits for the channel's previous call, so an unsubscribe never overtakes a later subscribe.
 * Calls are queued under the {@link Registry}'s lock and made by {@link #start()}, outside it.
 */
final class Attachments {

    private static final Logger log = LoggerFactory.getLogger(Attachments.class);
    private static final CompletableFuture<Void> NONE = CompletableFuture.completedFuture(null);

    private final Broker broker;
    /** Each channel's last queued call, until it completes. */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> last = new ConcurrentHashMap<>();
    /** Queued calls not yet started: each call also waits for its gate. */
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> gates = new ConcurrentLinkedQueue<>();

    Attachments(Broker broker) {
        this.broker = broker;
    }

    /** Queues {@code broker.subscribe(channel)}; the stage completes when the broker did it. */
    CompletableFuture<Void> subscribe(String channel) {
        return queue(channel, true);
    }

    /** Queues {@code broker.unsubscribe(channel)}. */
    void unsubscribe(String channel) {
        queue(channel, false).whenComplete((ignored, error) -> {
            if (error != null) {
                log.warn("unsubscribing the node from {} failed", channel, error);
            }
        });
    }

    /** Makes the queued calls whose channel's earlier calls are done; call holding no lock. */
    void start() {
        for (CompletableFuture<Void> gate; (gate = gates.poll()) != null; ) {
            gate.complete(null);
        }
    }

    private CompletableFuture<Void> queue(String channel, boolean subscribe) {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        CompletableFuture<Void> call = last.getOrDefault(channel, NONE)
                .handle((ignored, error) -> null) // a failed call does not hold up the next one
                .thenCombine(gate, (a, b) -> null)
                .thenCompose(ignored -> subscribe ? broker.subscribe(channel) : broker.unsubscribe(channel))
                .toCompletableFuture();
        last.put(channel, call);
        call.whenComplete((ignored, error) -> last.remove(channel, call));
        gates.add(gate);
        return call;
    }
}
