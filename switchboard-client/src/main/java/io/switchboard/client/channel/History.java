package io.switchboard.client.channel;

import io.switchboard.core.StreamPosition;

import java.util.List;

/**
 * A {@code history} reply.
 *
 * @param publications the kept publications after the cursor asked for, oldest first
 * @param position     the channel's current position
 * @param recovered    false when the cursor was older than the kept history or from another epoch
 */
public record History(List<Publication> publications, StreamPosition position, boolean recovered) {
}
