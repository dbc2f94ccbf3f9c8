package io.switchboard.client.channel;

import io.switchboard.core.StreamPosition;

/**
 * A publication on a channel, as a {@code pub} push delivers it.
 *
 * @param channel the channel it was published on
 * @param offset  its place in the channel's stream (1, 2, 3...)
 * @param epoch   the channel's epoch
 * @param data    the published JSON value, as JSON text exactly as published
 */
public record Publication(String channel, long offset, String epoch, String data) {

    /** The cursor {@code "<offset>:<epoch>"} just after this publication: resume from it to get what follows. */
    public String cursor() {
        return new StreamPosition(offset, epoch).toString();
    }
}
