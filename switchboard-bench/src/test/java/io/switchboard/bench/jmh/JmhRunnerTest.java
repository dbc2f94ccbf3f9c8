package io.switchboard.bench.jmh;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;

import java.util.Collection;

import static org.assertj.core.api.Assertions.assertThat;

class JmhRunnerTest {

    @Test
    void runsTheSelectedBenchmarkAndReportsItsScore() throws Exception {
        Collection<RunResult> results = JmhRunner.run(
                "UnmaskBenchmark.switchboard", "-p", "size=32", "-f", "0", "-wi", "0", "-i", "1", "-r", "100ms");

        assertThat(results).hasSize(1);
        RunResult result = results.iterator().next();
        assertThat(result.getParams().getBenchmark()).isEqualTo(UnmaskBenchmark.class.getName() + ".switchboard");
        assertThat(result.getPrimaryResult().getScoreUnit()).isEqualTo("ns/op");
        assertThat(result.getPrimaryResult().getScore()).isPositive();
    }
}
