package io.switchboard.core.protocol;

import io.switchboard.core.StreamPosition;

/**
 * One client command of the {@code ws /ws} protocol, as read by {@link CommandParser}: every command
 * carries the client's request {@link #id()}, which its reply repeats; channel commands also carry
 * the (already validated) channel they are about.
 */
public sealed interface Command {

    /** The client's request id (1 or more), echoed in the reply. */
    long id();

    /**
     * {@code {"id":1,"connect":{"token":"<JWT>"}}}: authenticate the connection with a connection
     * token (browsers cannot set an {@code Authorization} header on a WebSocket).
     */
    record Connect(long id, String token) implements Command { }

    /** {@code {"id":9,"refresh":{"token":"<JWT>"}}}: replace the connection token before it expires; the connection stays. */
    record Refresh(long id, String token) implements Command { }

    /**
     * {@code {"id":1,"subscribe":{"channel":"news","since":"7:abc","token":"<JWT>"}}}: subscribe,
     * recovering after {@code since} (may be null), with a subscription token where the channel needs
     * one ({@code token} may be null).
     */
    record Subscribe(long id, String channel, StreamPosition since, String token) implements Command {

        /** A subscribe without a subscription token. */
        public Subscribe(long id, String channel, StreamPosition since) {
            this(id, channel, since, null);
        }
    }

    /** {@code {"id":2,"unsubscribe":{"channel":"news"}}}: stop receiving the channel. */
    record Unsubscribe(long id, String channel) implements Command { }

    /** {@code {"id":3,"publish":{"channel":"news","data":{...}}}}: publish {@code data} (compact JSON text). */
    record Publish(long id, String channel, String data) implements Command { }

    /** {@code {"id":4,"history":{"channel":"news","since":"7:abc","limit":100}}}: read kept history after {@code since} (may be null). */
    record History(long id, String channel, StreamPosition since, int limit) implements Command { }

    /** {@code {"id":5,"presence":{"channel":"news"}}}: who is subscribed to the channel. */
    record Presence(long id, String channel) implements Command { }
}
