package io.switchboard.bench.scenario;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FanoutScenarioTest {

    @ParameterizedTest(name = "{0} against {1}")
    @CsvSource({"fanout, switchboard", "fanout, netty", "sse-fanout, switchboard", "poll-fanout, switchboard"})
    void deliversEveryChatMessageToEverySubscriberOnce(String scenario, String peer) throws Exception {
        List<Result> results = Smoke.run(scenario, peer);

        assertThat(results).hasSize(1);
        Result result = results.get(0);
        assertThat(result.variant()).isEqualTo(Smoke.options().subscribers + " subscribers");
        assertThat(result.get("lost")).isZero();
        assertThat(result.get("duplicated")).isZero();
        assertThat(result.get("delivered")).isEqualTo(result.get("published") * Smoke.options().subscribers);
        assertThat(result.latency().getTotalCount()).isEqualTo((long) result.get("delivered"));
    }
}
