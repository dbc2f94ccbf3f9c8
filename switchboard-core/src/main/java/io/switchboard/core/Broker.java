package io.switchboard.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where a channel's stream lives: assigns offsets, keeps history and presence, and hands
 * publications to each node's {@link Hub}. The in-memory {@link MemoryBroker} serves one node; a
 * shared broker (Redis) assigns offsets remotely and fans out across nodes, which is why every
 * operation is asynchronous.
 *
 * <p><b>Live delivery is at-most-once; correctness comes from offsets.</b> A shared broker loses
 * what is published while a node's connection to it is down, so the listener may miss
 * publications; it never gets one twice or out of order. The hub compares each publication's
 * {@code (offset, epoch)} with the last it delivered and fills a gap from {@link #history}, which
 * is where every acknowledged publication is kept (within its {@link PublishOptions}).
 *
 * <p>Contract (checked by the broker contract test suite):
 * <ul>
 *   <li>{@link #publish} appends atomically: the offset is the channel's previous offset + 1 in the
 *       channel's current epoch, and the message is in history before the listener sees it.</li>
 *   <li>While the broker is reachable, the {@link Listener} receives every publication of a channel
 *       this node {@link #subscribe subscribed} to once, in offset order per channel, from whichever
 *       node published it; across an outage it may miss some (at-most-once). Listener calls must not
 *       block and may come from any thread.</li>
 *   <li>{@link #history} is consistent with the listener: a message delivered to the listener
 *       before a history read is in that read (while history keeps it).</li>
 *   <li>A channel's epoch changes only when its stream was lost (offsets then start again at 1).</li>
 *   <li>Presence entries expire {@link #presenceTtl()} after they were last added unless added
 *       again, so a node that dies without removing its clients' entries stops showing them.</li>
 *   <li>Failures to reach a shared broker complete the stage with {@link BrokerUnavailableException},
 *       promptly rather than after waiting for the broker to come back.</li>
 * </ul>
 */
public interface Broker extends AutoCloseable {

    /** What the broker tells its hub: publications and presence changes, from every node. */
    interface Listener {

        /** A message was stored in its channel's stream. */
        void onPublication(Message message);

        /** {@code client} was added to the presence of {@code channel}. */
        void onJoin(String channel, ClientInfo client);

        /**
         * {@code client} was removed from the presence of {@code channel}, or its entry expired (told
         * when the broker notices, at the latest on the channel's next presence read or change).
         */
        void onLeave(String channel, ClientInfo client);
    }

    /** Registers the hub's listener; called once, before any other method. */
    void listen(Listener listener);

    /**
     * Tells the broker this node has subscribers on {@code channel}: once the stage completes, every
     * later publication of it reaches the listener. A broker that delivers everything may do nothing.
     */
    CompletionStage<Void> subscribe(String channel);

    /** This node no longer has subscribers on {@code channel}; the broker may stop delivering it. */
    CompletionStage<Void> unsubscribe(String channel);

    /** How long a presence entry lasts after its latest {@link #addPresence}; the hub re-adds live entries well within it. */
    Duration presenceTtl();

    /**
     * Appends {@code data} (JSON text) to {@code channel}'s stream, assigning the next offset, and
     * completes with the stored message; {@code options} bound the channel's history from now on.
     *
     * @param origin the publishing client's id, or null
     */
    CompletionStage<Message> publish(String channel, String data, String origin, PublishOptions options);

    /**
     * Reads kept history after {@code since} (null: from the oldest kept message), oldest first, at
     * most {@code limit} messages ({@code 0}: none, just the position). The result's position is the
     * channel's latest; it is not complete when {@code since} is from another epoch, older than the
     * kept history, or ahead of the stream. A cursor at offset 0 has seen nothing, whatever its
     * epoch: it is complete while history still holds the channel's first message. A channel never
     * published to is at offset 0 in the epoch its first publication will carry.
     */
    CompletionStage<HistoryResult> history(String channel, StreamPosition since, int limit);

    /**
     * Adds {@code client} to {@code channel}'s presence for {@link #presenceTtl()}, or refreshes its
     * entry (and info) when present; the listeners see a join if it was absent or had expired.
     */
    CompletionStage<Void> addPresence(String channel, ClientInfo client);

    /** Removes {@code client} from {@code channel}'s presence; the listeners see a leave if it was present. */
    CompletionStage<Void> removePresence(String channel, ClientInfo client);

    /** Who is present on {@code channel}, across every node, in join order; expired entries are left out. */
    CompletionStage<List<ClientInfo>> presence(String channel);

    /**
     * Takes or keeps the lease {@code name} for {@code holder} for {@code ttl}: completes with true
     * while {@code holder} holds it. One node of many does a cluster-wide job this way (the demo
     * ticker publishes once, not once per node); a holder that stops renewing loses it after
     * {@code ttl}. A single-node broker grants every lease.
     */
    default CompletionStage<Boolean> lease(String name, String holder, Duration ttl) {
        return java.util.concurrent.CompletableFuture.completedFuture(true);
    }

    /** Releases the broker's resources; no listener calls follow. */
    @Override
    void close();
}
