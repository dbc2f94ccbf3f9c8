package io.switchboard.core;

/**
 * The answer to a subscribe: the channel's current position, and — when a cursor was given —
 * whether recovery succeeded. When {@code recovered} is true every message after the cursor has
 * been (or is being) delivered to the subscriber before any live message; when false the cursor
 * was too old or from another epoch, and the application should reload its state.
 */
public record SubscribeResult(StreamPosition position, boolean recovered) {
}
