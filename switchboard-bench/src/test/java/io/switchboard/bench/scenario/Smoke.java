package io.switchboard.bench.scenario;

import java.time.Duration;
import java.util.List;

/** Seconds-long sizes for the CI smoke runs: every scenario runs, nothing is timed. */
final class Smoke {

    private Smoke() {
    }

    static BenchOptions options() {
        BenchOptions options = new BenchOptions();
        options.duration = Duration.ofSeconds(1);
        options.warmup = Duration.ZERO;
        options.generatorThreads = 1;
        options.minEvents = 20;
        options.connections = 4;
        options.sizes = List.of(32, 16 * 1024);
        options.inFlight = List.of(2);
        options.subscribers = 20;
        options.startRate = 20;
        options.maxSteps = 2;
        options.idleLevels = List.of(10, 20);
        options.churnConcurrency = 4;
        options.wireSubscribers = 2;
        options.wireRate = 5;
        options.shortPollInterval = Duration.ofMillis(200);
        return options;
    }

    static List<Result> run(String scenario, String peer) throws Exception {
        try (Progress progress = Progress.silent()) {
            return new BenchRunner(options(), progress, System.err).run(Scenarios.byName(scenario), peer);
        }
    }
}
