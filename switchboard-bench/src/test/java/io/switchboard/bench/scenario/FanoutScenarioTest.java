package io.switchboard.bench.scenario;

import io.switchboard.bench.peer.RedisServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class FanoutScenarioTest {

    @ParameterizedTest(name = "{0} against {1}")
    @CsvSource({"fanout, switchboard", "fanout, netty", "sse-fanout, switchboard", "poll-fanout, switchboard", "fanout, switchboard+redis"})
    void deliversEveryChatMessageToEverySubscriberOnce(String scenario, String peer) throws Exception {
        assumeTrue(!peer.endsWith("+redis") || RedisServer.available(), "redis-server is not on the PATH");
        List<Result> results = Smoke.run(scenario, peer);

        assertThat(results).hasSize(1);
        Result result = results.get(0);
        assertThat(result.variant()).isEqualTo(Smoke.options().subscribers + " subscribers");
        assertThat(result.get("lost")).isZero();
        assertThat(result.get("duplicated")).isZero();
        assertThat(result.get("delivered")).isEqualTo(result.get("published") * Smoke.options().subscribers);
        assertThat(result.latency().getTotalCount()).isEqualTo((long) result.get("delivered"));
        assertThat(result.get("first-step rate/s")).isEqualTo(Smoke.options().startRate);
        assertThat(result.get("first-step p50 ms")).isPositive();
    }
}
