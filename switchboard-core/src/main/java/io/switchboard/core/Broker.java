package io.switchboard.core;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where a channel's stream lives: assigns offsets, keeps history and presence, and hands every
 * publication to each node's {@link Hub} once. The in-memory {@link MemoryBroker} serves one node;
 * a shared broker (Redis) assigns offsets remotely and fans out across nodes, which is why every
 * operation is asynchronous.
 *
 * <p>Contract (checked by the broker contract test suite):
 * <ul>
 *   <li>{@link #publish} appends atomically: the offset is the channel's previous offset + 1 in the
 *       channel's current epoch, and the message is in history before the listener sees it.</li>
 *   <li>The {@link Listener} receives every publication of a channel this node {@link #subscribe subscribed}
 *       to exactly once, in offset order per channel, from whichever node published it. Listener
 *       calls must not block and may come from any thread.</li>
 *   <li>{@link #history} is consistent with the listener: a message delivered to the listener
 *       before a history read is in that read (while history keeps it).</li>
 * </ul>
 */
public interface Broker extends AutoCloseable {

    /** What the broker tells its hub: publications and presence changes, from every node. */
    interface Listener {

        /** A message was stored in its channel's stream. */
        void onPublication(Message message);

        /** {@code client} was added to the presence of {@code channel}. */
        void onJoin(String channel, ClientInfo client);

        /** {@code client} was removed from the presence of {@code channel}. */
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

    /**
     * Appends {@code data} (JSON text) to {@code channel}'s stream, assigning the next offset, and
     * completes with the stored message.
     *
     * @param origin the publishing client's id, or null
     */
    CompletionStage<Message> publish(String channel, String data, String origin);

    /**
     * Reads kept history after {@code since} (null: from the oldest kept message), oldest first, at
     * most {@code limit} messages ({@code 0}: none, just the position). The result's position is the
     * channel's latest; it is not complete when {@code since} is from another epoch, older than the
     * kept history, or ahead of the stream.
     */
    CompletionStage<HistoryResult> history(String channel, StreamPosition since, int limit);

    /** Adds {@code client} to {@code channel}'s presence; the listeners see a join if it was absent. */
    CompletionStage<Void> addPresence(String channel, ClientInfo client);

    /** Removes {@code client} from {@code channel}'s presence; the listeners see a leave if it was present. */
    CompletionStage<Void> removePresence(String channel, ClientInfo client);

    /** Who is present on {@code channel}, across every node, in join order. */
    CompletionStage<List<ClientInfo>> presence(String channel);

    /** Releases the broker's resources; no listener calls follow. */
    @Override
    void close();
}
