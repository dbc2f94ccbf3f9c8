package io.switchboard.core;

/**
 * A cursor into a channel's stream: the offset of the last message seen and the channel's epoch
 * when it was seen. Offsets start at 1; offset 0 means "nothing seen yet".
 *
 * <p>On the wire a position is written {@code "<offset>:<epoch>"} (SSE {@code id:}, long-poll
 * {@code since=}); see {@link #parse(String)} and {@link #toString()}.
 */
public record StreamPosition(long offset, String epoch) {

    /** Parses {@code "<offset>:<epoch>"}; throws {@link IllegalArgumentException} with a readable reason. */
    public static StreamPosition parse(String text) {
        throw new UnsupportedOperationException("TODO core helper");
    }

    @Override
    public String toString() {
        return offset + ":" + epoch;
    }
}
