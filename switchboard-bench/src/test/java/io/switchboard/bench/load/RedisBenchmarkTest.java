package io.switchboard.bench.load;

import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RedisBenchmarkTest {

    @Test
    void readsRequestsPerSecondAndPercentilesFromTheEndOfTheCsvLine() throws IOException {
        String csv = """
                "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms","p95_latency_ms","p99_latency_ms","max_latency_ms"
                "EVALSHA 06b6 2 switchboard:{demo:board}:meta {"n":1},x PUBLISH","35265.90","21.345","0.900","18.783","40.000","61.503","99.000"
                """;

        RedisBenchmark.Reading reading = RedisBenchmark.parse(csv);

        assertThat(reading.requestsPerSecond()).isEqualTo(35265.90);
        assertThat(reading.p50Millis()).isEqualTo(18.783);
        assertThat(reading.p99Millis()).isEqualTo(61.503);
    }

    @Test
    void saysWhatItGotWhenThereIsNoReading() {
        assertThatThrownBy(() -> RedisBenchmark.parse("ERR unknown command\n")).isInstanceOf(IOException.class)
                .hasMessageContaining("ERR unknown command");
    }
}
