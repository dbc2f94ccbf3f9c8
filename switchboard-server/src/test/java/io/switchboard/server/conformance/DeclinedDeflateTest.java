package io.switchboard.server.conformance;

import io.switchboard.server.ServerConfig;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.testkit.autobahn.AutobahnCases;
import io.switchboard.testkit.autobahn.CaseResult;
import io.switchboard.testkit.autobahn.ConformanceRunner;
import io.switchboard.testkit.autobahn.Verdict;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The conformance suite's deflate sections fail a server that answers every offer without compressing. */
class DeclinedDeflateTest {

    @Test
    void aServerThatDeclinesPermessageDeflateFailsSections12And13() {
        try (SwitchboardServer server = SwitchboardServer.start(new ServerConfig().host("127.0.0.1").port(0).demo(false)
                .permessageDeflate(false).pingInterval(Duration.ZERO))) {
            ConformanceRunner runner = new ConformanceRunner(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), true);
            for (var c : ConformanceRunner.select(AutobahnCases.all(1), "12.1.1,13.7.1")) {
                CaseResult result = runner.run(c);

                assertThat(result.verdict()).as(result.id()).isEqualTo(Verdict.UNIMPLEMENTED);
                assertThatThrownBy(() -> AutobahnConformanceTest.assertConforms(result))
                        .isInstanceOf(AssertionError.class)
                        .hasMessageContaining("permessage-deflate must be negotiated");
            }
        }
    }
}
