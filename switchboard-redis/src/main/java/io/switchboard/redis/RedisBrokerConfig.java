package io.switchboard.redis;

import io.switchboard.core.HubConfig;

import java.time.Duration;
import java.util.Objects;

/**
 * Where and how a {@link RedisBroker} keeps channels in Redis. Only the URI is required:
 * {@code new RedisBrokerConfig("redis://127.0.0.1:6379")}; a standalone server or any node of a
 * Redis Cluster (discovered on connect).
 *
 * <p>The URI is {@code redis://[[user:]password@]host[:port][/database]}, or {@code rediss://…} for
 * TLS.
 */
public final class RedisBrokerConfig {

    private final String uri;
    private String keyPrefix = "switchboard:";
    private Duration presenceTtl = HubConfig.DEFAULT_PRESENCE_TTL;
    private Duration commandTimeout = Duration.ofSeconds(5);
    private Duration streamMetaTtl = Duration.ofDays(30);

    /** A config for the Redis at {@code uri} with every other setting at its default. */
    public RedisBrokerConfig(String uri) {
        this.uri = Objects.requireNonNull(uri, "uri");
    }

    /** The Redis URI. */
    public String uri() { return uri; }

    /** Prefix of every key and pub/sub channel name (default {@code switchboard:}); nodes sharing channels use the same one. */
    public String keyPrefix() { return keyPrefix; }

    /** Sets the key prefix; it must not contain {@code {}} (those mark the channel's hash tag). */
    public RedisBrokerConfig keyPrefix(String keyPrefix) {
        Objects.requireNonNull(keyPrefix, "keyPrefix");
        if (keyPrefix.indexOf('{') >= 0 || keyPrefix.indexOf('}') >= 0) {
            throw new IllegalArgumentException("keyPrefix must not contain '{' or '}'");
        }
        this.keyPrefix = keyPrefix;
        return this;
    }

    /** How long a presence entry lives unless re-added (default 30 s); give it the hub's {@link HubConfig#presenceTtl()}. */
    public Duration presenceTtl() { return presenceTtl; }

    /** Sets the presence TTL; whole milliseconds, positive. */
    public RedisBrokerConfig presenceTtl(Duration presenceTtl) {
        this.presenceTtl = positive(presenceTtl, "presenceTtl");
        return this;
    }

    /** How long a command may wait for Redis before it fails as unavailable (default 5 s). */
    public Duration commandTimeout() { return commandTimeout; }

    /** Sets the command timeout; positive. */
    public RedisBrokerConfig commandTimeout(Duration commandTimeout) {
        this.commandTimeout = positive(commandTimeout, "commandTimeout");
        return this;
    }

    /**
     * How long a channel's offset and epoch outlive its last publication (default 30 days, never
     * less than that publication's history TTL). After it the channel starts again in a new epoch,
     * so a client returning with an old cursor is told its history is gone.
     */
    public Duration streamMetaTtl() { return streamMetaTtl; }

    /** Sets how long a channel's offset and epoch outlive its last publication; positive. */
    public RedisBrokerConfig streamMetaTtl(Duration streamMetaTtl) {
        this.streamMetaTtl = positive(streamMetaTtl, "streamMetaTtl");
        return this;
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.toMillis() <= 0) {
            throw new IllegalArgumentException(name + " must be at least 1 ms");
        }
        return d;
    }
}
