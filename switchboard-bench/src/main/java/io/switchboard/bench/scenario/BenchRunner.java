package io.switchboard.bench.scenario;

import io.switchboard.bench.peer.Peer;
import io.switchboard.bench.peer.Peers;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Runs a scenario against peers one after the other, each peer a fresh server process. */
public final class BenchRunner {

    private final BenchOptions options;
    private final Progress progress;
    private final PrintStream log;

    /** A runner reporting progress to {@code progress} and peer failures to {@code log}. */
    public BenchRunner(BenchOptions options, Progress progress, PrintStream log) {
        this.options = options;
        this.progress = progress;
        this.log = log;
    }

    /**
     * Runs {@code scenario} against each peer in {@code peers} that it supports. A peer that fails
     * to start or breaks mid-run is reported on the log and skipped, so the other peers still run.
     */
    public List<Result> run(Scenario scenario, List<String> peers) {
        List<Result> results = new ArrayList<>();
        for (String name : peers) {
            if (!scenario.supports(name)) {
                continue;
            }
            try {
                results.addAll(run(scenario, name));
            } catch (Exception e) {
                progress.endPhase();
                log.println(scenario.name() + " against " + name + " failed: " + e);
            }
        }
        return results;
    }

    /** Runs {@code scenario} against the peer called {@code peerName}; failures propagate. */
    public List<Result> run(Scenario scenario, String peerName) throws Exception {
        try (Peer peer = Peers.byName(peerName)) {
            int port = freePort();
            progress.phase("starting " + peerName, java.time.Duration.ofSeconds(5), () -> "");
            peer.start(port);
            progress.endPhase();
            return scenario.run(peer, port, options, progress);
        } finally {
            progress.endPhase();
        }
    }

    /** A port nothing listens on right now. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
