package io.switchboard.bench.peer;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The peers a benchmark can run against, by name. */
public final class Peers {

    /** Nodes of the {@code switchboard+redis} peer: enough for every delivery to cross nodes through Redis. */
    public static final int REDIS_NODES = 2;

    private Peers() {
    }

    /** The names of every peer, Switchboard first. */
    public static List<String> names() {
        return List.of("switchboard", "netty", "jetty", "node-lesson");
    }

    /**
     * A new, not yet started peer called {@code name}: one of {@link #names()}; {@code switchboard+hs256} or
     * {@code switchboard+rs256}, Switchboard verifying that kind of connection token (clients without one still
     * served); {@code switchboard+redis}, two Switchboard nodes sharing their channels through a Redis the peer starts
     * ({@code --broker redis://…}; {@code SWITCHBOARD_BENCH_REDIS} names a running one instead); or {@code LABEL=JAR}, Switchboard as built in another {@code switchboard.jar}, reported as LABEL.
     */
    public static Peer byName(String name) {
        int equals = name.indexOf('=');
        if (equals > 0) {
            return SwitchboardPeer.fromJar(name.substring(0, equals), Path.of(name.substring(equals + 1)));
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "switchboard+hs256" -> new SwitchboardPeer("switchboard+hs256", System.getProperty("java.class.path"), BenchTokens.Kind.HS256);
            case "switchboard+rs256" -> new SwitchboardPeer("switchboard+rs256", System.getProperty("java.class.path"), BenchTokens.Kind.RS256);
            case "switchboard+redis" -> SwitchboardPeer.onRedis("switchboard+redis", REDIS_NODES);
            case "switchboard" -> new SwitchboardPeer();
            case "netty" -> new NettyPeer();
            case "jetty" -> new JettyPeer();
            case "node-lesson" -> new NodeLessonPeer();
            default -> throw new IllegalArgumentException("unknown peer '" + name + "' (known: " + String.join(", ", names()) + ")");
        };
    }

    /**
     * Whether the peer called {@code name} is a Switchboard build (this one, one verifying tokens, or
     * {@code LABEL=JAR}), which serves every endpoint the Switchboard-only scenarios use.
     */
    public static boolean isSwitchboard(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return name.indexOf('=') > 0 || lower.equals("switchboard") || lower.startsWith("switchboard+");
    }

    /** A new, not yet started instance of every peer, Switchboard first. */
    public static List<Peer> all() {
        return names().stream().map(Peers::byName).toList();
    }
}
