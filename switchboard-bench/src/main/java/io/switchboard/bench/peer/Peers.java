package io.switchboard.bench.peer;

import java.util.List;
import java.util.Locale;

/** The peers a benchmark can run against, by name. */
public final class Peers {

    private Peers() {
    }

    /** The names of every peer, Switchboard first. */
    public static List<String> names() {
        return List.of("switchboard", "netty", "jetty", "node-lesson");
    }

    /** A new, not yet started peer called {@code name}. */
    public static Peer byName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "switchboard" -> new SwitchboardPeer();
            case "netty" -> new NettyPeer();
            case "jetty" -> new JettyPeer();
            case "node-lesson" -> new NodeLessonPeer();
            default -> throw new IllegalArgumentException("unknown peer '" + name + "' (known: " + String.join(", ", names()) + ")");
        };
    }

    /** A new, not yet started instance of every peer, Switchboard first. */
    public static List<Peer> all() {
        return names().stream().map(Peers::byName).toList();
    }
}
