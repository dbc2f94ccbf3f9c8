package io.switchboard.core;

import java.time.Duration;

/**
 * Limits of the channel model. {@code historySize}/{@code historyTtl} bound each channel's kept
 * history; {@code maxChannelLength} bounds names; {@code maxSubscriptionsPerClient} bounds a
 * connection's subscriptions (enforced by transports through {@link Hub}).
 */
public record HubConfig(int historySize, Duration historyTtl, int maxChannelLength, int maxSubscriptionsPerClient) {

    /** Defaults: 1000 messages kept for 10 minutes per channel, 255-char names, 128 subscriptions. */
    public static HubConfig defaults() {
        return new HubConfig(1000, Duration.ofMinutes(10), 255, 128);
    }
}
