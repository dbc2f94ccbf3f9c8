package io.switchboard.bench.scenario;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HandshakeScenarioTest {

    @Test
    void opensAndClosesConnectionsWithoutFailures() throws Exception {
        List<Result> results = Smoke.run("handshake", "switchboard");

        assertThat(results).hasSize(1);
        assertThat(results.get(0).latency().getTotalCount()).isGreaterThanOrEqualTo(Smoke.options().minEvents);
        assertThat(results.get(0).get("failed")).isZero();
    }
}
