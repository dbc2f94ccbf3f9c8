package io.switchboard.cli;

import io.switchboard.core.Broker;
import io.switchboard.core.HubConfig;
import io.switchboard.core.MemoryBroker;
import io.switchboard.redis.RedisBroker;
import io.switchboard.redis.RedisBrokerConfig;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.function.Function;

/**
 * What {@code --broker} names: {@code memory} (channels live in this node alone) or a Redis URI
 * ({@code redis://[[user:]password@]host[:port][/db]}, {@code rediss://} for TLS) shared by every
 * node that names it.
 *
 * @param uri the Redis URI, or null for memory
 */
record BrokerChoice(String uri) {

    static final BrokerChoice MEMORY = new BrokerChoice(null);

    /** Reads a {@code --broker} value; a readable {@link IllegalArgumentException} when it names nothing known. */
    static BrokerChoice parse(String value) {
        String v = value.trim();
        if (v.equalsIgnoreCase("memory")) {
            return MEMORY;
        }
        String scheme = v.contains("://") ? v.substring(0, v.indexOf("://")).toLowerCase(Locale.ROOT) : "";
        if (!scheme.equals("redis") && !scheme.equals("rediss")) {
            throw new IllegalArgumentException("unknown broker '" + value + "': use memory, redis://host:port[/db] or rediss://...");
        }
        try {
            URI uri = new URI(v);
            if (uri.getHost() == null) {
                throw new IllegalArgumentException("broker URI '" + redacted(v) + "' names no host");
            }
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("broker URI '" + redacted(v) + "' is malformed: " + e.getReason());
        }
        return new BrokerChoice(v);
    }

    /** What makes the server's broker. */
    Function<HubConfig, ? extends Broker> factory() {
        if (uri == null) {
            return MemoryBroker::new;
        }
        String redis = uri;
        // Presence entries live as long as the hub expects: it refreshes them every third of that.
        return hub -> RedisBroker.connect(new RedisBrokerConfig(redis).presenceTtl(hub.presenceTtl()));
    }

    /** For the banner and logs: {@code memory}, or the URI without its password. */
    @Override
    public String toString() {
        return uri == null ? "memory" : redacted(uri);
    }

    private static String redacted(String uri) {
        int scheme = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        return scheme >= 0 && at > scheme ? uri.substring(0, scheme + 3) + "***@" + uri.substring(at + 1) : uri;
    }
}
