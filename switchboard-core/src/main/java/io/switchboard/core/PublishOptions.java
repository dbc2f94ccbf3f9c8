package io.switchboard.core;

import java.time.Duration;
import java.util.Objects;

/**
 * How a broker keeps one publication: its channel keeps at most {@code historySize} of its newest
 * messages (0: none, live delivery only), and this message for at most {@code historyTtl}. Options
 * travel with each publication so per-channel settings need no change to the {@link Broker} seam.
 *
 * @param historySize how many of the channel's newest messages stay in history, 0 or more
 * @param historyTtl  how long this message stays in history, positive
 */
public record PublishOptions(int historySize, Duration historyTtl) {

    /** Validates: a negative size or a missing, zero or negative age is a programming error. */
    public PublishOptions {
        if (historySize < 0) {
            throw new IllegalArgumentException("historySize must be 0 or more");
        }
        Objects.requireNonNull(historyTtl, "historyTtl");
        if (historyTtl.isNegative() || historyTtl.isZero()) {
            throw new IllegalArgumentException("historyTtl must be positive");
        }
    }

    /** The history limits a hub configured with {@code config} applies to every channel. */
    public static PublishOptions of(HubConfig config) {
        return new PublishOptions(Math.max(0, config.historySize()), config.historyTtl());
    }
}
