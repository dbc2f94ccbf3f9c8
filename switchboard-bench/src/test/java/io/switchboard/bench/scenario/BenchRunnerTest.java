package io.switchboard.bench.scenario;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BenchRunnerTest {

    @Test
    void keepsTheMedianOfAlternatingRoundsPerPeerAndVariant() {
        List<Result> results;
        try (Progress progress = Progress.silent()) {
            results = new BenchRunner(Smoke.options(), progress, System.err)
                    .runMedian(Scenarios.byName("handshake"), List.of("switchboard"), 3, "handshakes/s");
        }

        assertThat(results).hasSize(1);
        Result median = results.get(0);
        assertThat(median.get("runs")).isEqualTo(3.0);
        assertThat(median.get("handshakes/s")).isPositive()
                .isBetween(median.get("handshakes/s min"), median.get("handshakes/s max"));
        assertThat(median.get("failed")).isZero();
    }
}
