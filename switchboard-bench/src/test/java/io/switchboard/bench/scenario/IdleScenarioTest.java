package io.switchboard.bench.scenario;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IdleScenarioTest {

    @Test
    void holdsEveryLevelOpenAndReadsTheServersMemory() throws Exception {
        List<Result> results = Smoke.run("idle", "switchboard");

        assertThat(results).extracting(r -> r.get("connections")).containsExactly(10.0, 20.0);
        assertThat(results).allSatisfy(result -> {
            assertThat(result.get("open")).isEqualTo(result.get("connections"));
            assertThat(result.get("server RSS (MiB)")).isPositive();
            assertThat(result.get("live heap/conn (KiB)")).isNotNaN();
            assertThat(result.get("memory/conn (KiB)")).isEqualTo(result.get("RSS growth/conn (KiB)") + result.get("live heap/conn (KiB)"));
        });
    }

    @Test
    void holdsConnectionsOnTheGivenPath() throws Exception {
        BenchOptions options = Smoke.options();
        options.path = "/chat";
        List<Result> results = Smoke.run("idle", "switchboard", options);

        assertThat(results).extracting(Result::variant).containsExactly("10 connections on /chat", "20 connections on /chat");
        assertThat(results).allSatisfy(result -> assertThat(result.get("open")).isEqualTo(result.get("connections")));
    }
}
