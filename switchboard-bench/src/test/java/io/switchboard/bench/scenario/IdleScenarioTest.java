package io.switchboard.bench.scenario;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IdleScenarioTest {

    @ParameterizedTest
    @ValueSource(strings = {"idle", "idle-ws", "idle-sse"})
    void holdsEveryLevelOpenAndReadsTheServersMemory(String scenario) throws Exception {
        List<Result> results = Smoke.run(scenario, "switchboard");

        assertThat(results).extracting(r -> r.get("connections")).containsExactly(10.0, 20.0);
        assertThat(results).allSatisfy(result -> {
            assertThat(result.get("open")).isEqualTo(result.get("connections"));
            assertThat(result.get("server RSS (MiB)")).isPositive();
            assertThat(result.get("live heap/conn (KiB)")).isNotNaN();
            assertThat(result.get("RSS growth/conn (KiB)")).isNotNaN();
        });
    }
}
