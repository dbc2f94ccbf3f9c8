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

    @Test
    void everyMicroBenchmarkRunsWithoutFailing() throws Exception {
        // Small messages only, one 10 ms iteration each, any error fails the run: every setup and contender works.
        Collection<RunResult> results = JmhRunner.run("-p", "size=32", "-f", "0", "-wi", "0", "-i", "1", "-r", "10ms", "-foe", "true");

        assertThat(results).extracting(result -> result.getParams().getBenchmark().replace(JmhRunner.class.getPackageName() + ".", ""))
                .containsOnly(
                        "FanoutBenchmark.nettyChannelGroup", "FanoutBenchmark.switchboardEncodeOnce", "FanoutBenchmark.switchboardPerSubscriber",
                        "FrameDecodeBenchmark.netty", "FrameDecodeBenchmark.switchboard",
                        "FrameEncodeBenchmark.netty", "FrameEncodeBenchmark.switchboard",
                        "TokenVerifyBenchmark.verifyHs256",
                        "UnmaskBenchmark.byteAtATime", "UnmaskBenchmark.switchboard",
                        "Utf8Benchmark.jdkCharsetDecoder", "Utf8Benchmark.nettyIsText", "Utf8Benchmark.switchboard");
        assertThat(results).allSatisfy(result -> assertThat(result.getPrimaryResult().getScore()).isPositive());
    }
}
