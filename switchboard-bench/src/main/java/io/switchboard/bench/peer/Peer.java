package io.switchboard.bench.peer;

import java.util.List;

/**
 * A server under test, run as its own process so its CPU, RSS and heap can be read apart from
 * the load generator's. Every peer serves {@code ws /echo} and the lesson's {@code ws /chat}
 * with the same semantics.
 */
public interface Peer extends AutoCloseable {

    /** The peer's name: "switchboard", "netty", "jetty", "node-lesson". */
    String name();

    /** Starts the server as a child process on 127.0.0.1:port serving ws /echo and ws /chat; returns once it accepts. */
    void start(int port) throws Exception;

    /** The server process, for RSS/CPU/heap readings. */
    long pid();

    /**
     * The ports of every node this peer serves on, the one {@link #start} was given first: one node
     * for all but a multi-node peer ({@code switchboard+redis}).
     */
    List<Integer> ports();

    /** The process of every node, in the order of {@link #ports()}. */
    default List<Long> pids() {
        return List.of(pid());
    }

    /** The Redis the nodes share, or null when the peer keeps its channels in memory. */
    default RedisServer redis() {
        return null;
    }

    /** Whether the server runs on a JVM (its live heap can then be read with jcmd). */
    boolean isJvm();

    /** The connection token a client presents to this peer ({@code ?token=}), or null where it takes none. */
    default String connectionToken() {
        return null;
    }

    /** Stops the process. */
    @Override
    void close();
}
