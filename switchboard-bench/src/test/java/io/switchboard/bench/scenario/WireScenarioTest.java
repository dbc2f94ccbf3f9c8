package io.switchboard.bench.scenario;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WireScenarioTest {

    @Test
    void countsBytesPerDeliveredMessageOnEveryTransport() throws Exception {
        List<Result> results = Smoke.run("wire", "switchboard");

        assertThat(results).extracting(Result::variant).containsExactly("WebSocket", "SSE", "long polling", "short polling");
        assertThat(results).allSatisfy(result -> {
            assertThat(result.get("lost")).isZero();
            assertThat(result.get("delivered")).isPositive();
            // Every delivery carries at least the relayed chat JSON.
            assertThat(result.get("received/msg")).isGreaterThan(result.get("published JSON bytes"));
        });
        // Only polling sends requests once subscribed.
        assertThat(results.get(0).get("sent/msg")).isZero();
        assertThat(results.get(2).get("sent/msg")).isPositive();
    }
}
