package io.switchboard.bench.scenario;

import java.util.List;

/** Seconds-long sizes for the CI smoke runs: every scenario runs, nothing is timed. */
final class Smoke {

    private Smoke() {
    }

    static BenchOptions options() {
        return BenchOptions.smoke();
    }

    static List<Result> run(String scenario, String peer) throws Exception {
        return run(scenario, peer, options());
    }

    static List<Result> run(String scenario, String peer, BenchOptions options) throws Exception {
        try (Progress progress = Progress.silent()) {
            return new BenchRunner(options, progress, System.err).run(Scenarios.byName(scenario), peer);
        }
    }
}
