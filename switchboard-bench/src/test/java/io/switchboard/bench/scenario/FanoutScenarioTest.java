package io.switchboard.bench.scenario;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FanoutScenarioTest {

    @Test
    void deliversEveryChatMessageToEverySubscriberOnce() throws Exception {
        List<Result> results = Smoke.run("fanout", "switchboard");

        assertThat(results).hasSize(1);
        Result result = results.get(0);
        assertThat(result.get("lost")).isZero();
        assertThat(result.get("duplicated")).isZero();
        assertThat(result.get("delivered")).isEqualTo(result.get("published") * 20);
        assertThat(result.latency().getTotalCount()).isEqualTo((long) result.get("delivered"));
    }
}
