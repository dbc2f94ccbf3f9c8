package io.switchboard.bench.scenario;

import io.switchboard.bench.peer.Peer;

import java.util.List;

/** One benchmark: a load it puts on a started peer, and the rows it measures. */
public interface Scenario {

    /** The name on the command line, e.g. {@code echo}. */
    String name();

    /** One line saying what is measured. */
    String description();

    /** Whether {@code peer} serves what this scenario needs (SSE and polling are Switchboard's alone). */
    default boolean supports(String peer) {
        return true;
    }

    /** Runs against {@code peer}, already started on {@code port}. */
    List<Result> run(Peer peer, int port, BenchOptions options, Progress progress) throws Exception;
}
