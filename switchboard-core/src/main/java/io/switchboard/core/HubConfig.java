package io.switchboard.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of the channel model. {@code historySize}/{@code historyTtl} bound each channel's kept
 * history; {@code maxChannelLength} bounds names; {@code maxSubscriptionsPerClient} bounds a
 * connection's subscriptions (enforced by transports through {@link Hub});
 * {@code positionCheckInterval} is how often the hub compares each channel's position at the broker
 * with what it delivered, to catch a lost last message (zero: never); {@code presenceTtl} is how
 * long a presence entry lasts unless refreshed: the hub refreshes its live entries every third of it,
 * or of the broker's own {@link Broker#presenceTtl()} when that is shorter (zero: never);
 * {@code historyBudgetBytes} bounds the memory all channels' history may take together in an
 * in-memory broker (the oldest messages across channels go first; zero: a quarter of the heap).
 */
public record HubConfig(int historySize, Duration historyTtl, int maxChannelLength, int maxSubscriptionsPerClient,
                        Duration positionCheckInterval, Duration presenceTtl, long historyBudgetBytes) {

    /** How often channel positions are checked by default. */
    public static final Duration DEFAULT_POSITION_CHECK_INTERVAL = Duration.ofSeconds(5);
    /** How long an unrefreshed presence entry lives by default. */
    public static final Duration DEFAULT_PRESENCE_TTL = Duration.ofSeconds(30);

    /** Refuses missing durations. */
    public HubConfig {
        Objects.requireNonNull(positionCheckInterval, "positionCheckInterval");
        Objects.requireNonNull(presenceTtl, "presenceTtl");
    }

    /** Limits with the default position check interval, presence expiry and history budget. */
    public HubConfig(int historySize, Duration historyTtl, int maxChannelLength, int maxSubscriptionsPerClient) {
        this(historySize, historyTtl, maxChannelLength, maxSubscriptionsPerClient,
                DEFAULT_POSITION_CHECK_INTERVAL, DEFAULT_PRESENCE_TTL);
    }

    /** Limits with the default history budget. */
    public HubConfig(int historySize, Duration historyTtl, int maxChannelLength, int maxSubscriptionsPerClient,
                     Duration positionCheckInterval, Duration presenceTtl) {
        this(historySize, historyTtl, maxChannelLength, maxSubscriptionsPerClient, positionCheckInterval, presenceTtl, 0);
    }

    /** The history budget in force: {@link #historyBudgetBytes()}, or a quarter of the heap when that is zero. */
    public long effectiveHistoryBudget() {
        return historyBudgetBytes > 0 ? historyBudgetBytes : Runtime.getRuntime().maxMemory() / 4;
    }

    /** This config, with all channels' history bounded to {@code bytes} together (zero: a quarter of the heap). */
    public HubConfig withHistoryBudget(long bytes) {
        return new HubConfig(historySize, historyTtl, maxChannelLength, maxSubscriptionsPerClient, positionCheckInterval, presenceTtl, bytes);
    }

    /** Defaults: 1000 messages kept for 10 minutes per channel, 255-char names, 128 subscriptions. */
    public static HubConfig defaults() {
        return new HubConfig(1000, Duration.ofMinutes(10), 255, 128);
    }

    /** This config, checking channel positions every {@code interval} (zero: never). */
    public HubConfig withPositionCheckInterval(Duration interval) {
        return new HubConfig(historySize, historyTtl, maxChannelLength, maxSubscriptionsPerClient, interval, presenceTtl, historyBudgetBytes);
    }

    /** This config, with presence entries that live {@code ttl} unless refreshed. */
    public HubConfig withPresenceTtl(Duration ttl) {
        return new HubConfig(historySize, historyTtl, maxChannelLength, maxSubscriptionsPerClient, positionCheckInterval, ttl, historyBudgetBytes);
    }
}
