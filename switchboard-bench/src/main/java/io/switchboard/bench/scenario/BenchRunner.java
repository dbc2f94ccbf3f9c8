package io.switchboard.bench.scenario;

import io.switchboard.bench.peer.Peer;
import io.switchboard.bench.peer.Peers;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

    /**
     * Runs {@code scenario} against every peer {@code rounds} times, alternating the peers round by
     * round (so a slow spell of a shared machine hits them alike), and keeps for each peer and
     * variant the run whose {@code metric} is the median. Its result carries {@code runs} and the
     * lowest and highest {@code metric} seen ({@code metric min}, {@code metric max}).
     */
    public List<Result> runMedian(Scenario scenario, List<String> peers, int rounds, String metric) {
        if (rounds <= 1) {
            return run(scenario, peers);
        }
        Map<String, List<Result>> byRow = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (Result r : run(scenario, peers)) {
                byRow.computeIfAbsent(r.peer() + "\n" + r.variant(), k -> new ArrayList<>()).add(r);
            }
        }
        List<Result> medians = new ArrayList<>();
        for (List<Result> runs : byRow.values()) {
            runs.sort(Comparator.comparingDouble(r -> r.get(metric)));
            Result median = runs.get(runs.size() / 2);
            medians.add(median.put("runs", runs.size())
                    .put(metric + " min", runs.get(0).get(metric))
                    .put(metric + " max", runs.get(runs.size() - 1).get(metric)));
        }
        return medians;
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
