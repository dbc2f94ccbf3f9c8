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

    @Test
    void presentsTheTokenOfAPeerThatVerifiesThemOnTheGivenPath() throws Exception {
        BenchOptions options = Smoke.options();
        options.path = "/ws";
        List<Result> results = Smoke.run("handshake", "switchboard+hs256", options);

        assertThat(results).singleElement().satisfies(result -> {
            assertThat(result.variant()).endsWith("on /ws");
            assertThat(result.latency().getTotalCount()).isGreaterThanOrEqualTo(options.minEvents);
            assertThat(result.get("failed")).isZero();
        });
    }

    @Test
    void addsTheTokenToThePathsQuery() {
        assertThat(HandshakeScenario.withToken("/ws", null)).isEqualTo("/ws");
        assertThat(HandshakeScenario.withToken("/ws", "t")).isEqualTo("/ws?token=t");
        assertThat(HandshakeScenario.withToken("/ws?user=a", "t")).isEqualTo("/ws?user=a&token=t");
    }
}
