package io.switchboard.bench.scenario;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EchoScenarioTest {

    @Test
    void echoesSmallAndLargeMessagesOnEveryConnection() throws Exception {
        List<Result> results = Smoke.run("echo", "switchboard");

        assertThat(results).extracting(Result::variant)
                .containsExactly("32 B x 2 in flight, 4 conns", "16 KiB x 2 in flight, 4 conns");
        assertThat(results).allSatisfy(result -> {
            assertThat(result.latency().getTotalCount()).isGreaterThanOrEqualTo(Smoke.options().minEvents);
            assertThat(result.get("msg/s")).isPositive();
            assertThat(result.get("dropped conns")).isZero();
        });
    }
}
