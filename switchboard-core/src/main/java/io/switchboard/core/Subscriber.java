package io.switchboard.core;

import java.util.concurrent.Executor;

/**
 * Receives the publications of the channels it is subscribed to through a {@link Hub}.
 *
 * <p>Every callback runs on {@link #executor()}. The hub groups subscribers by executor: one
 * task per executor delivers a batch of messages to all of that executor's subscribers, then
 * calls {@link #flush()} once on each subscriber that received something. For a Netty transport
 * the executor is the connection's event loop, so a broadcast costs one task per loop and one
 * flush per connection per batch.
 */
public interface Subscriber {

    /** Where this subscriber's callbacks run; subscribers sharing one are delivered in one task. */
    Executor executor();

    /** A publication on a subscribed channel, in offset order, never twice. */
    void onPublication(Message message);

    /**
     * Publications of {@code channel} were lost before they reached this subscriber (history no
     * longer holds them, or the channel's epoch changed): the stream goes on with the publications
     * after {@code position}. Like a subscribe answered {@code recovered: false}, the application
     * should reload its state.
     */
    default void onNotRecovered(String channel, StreamPosition position) { }

    /** A client joined a subscribed channel (presence). */
    default void onJoin(String channel, ClientInfo client) { }

    /** A client left a subscribed channel (presence). */
    default void onLeave(String channel, ClientInfo client) { }

    /** End of a delivery batch: write out what the callbacks above buffered. */
    default void flush() { }
}
