package io.switchboard.bench.scenario;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

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
            assertThat(result.get("server CPU µs/msg")).isPositive();
            assertThat(result.get("generator CPU µs/msg")).isPositive();
        });
    }

    @Test
    void sendTimeTravelsAsHexDigitsAndReadsBack() {
        assertThat(new String(ByteBuffer.allocate(8).putLong(EchoScenario.hex(0x1234abcd)).array(), StandardCharsets.US_ASCII))
                .isEqualTo("1234abcd");
        assertThat(EchoScenario.unhex(EchoScenario.hex(0xffffffff))).isEqualTo(0xffffffffL);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 10_000; i++) {
            long nanos = random.nextLong();
            long back = EchoScenario.unhex(EchoScenario.hex((int) (nanos >>> 32))) << 32 | EchoScenario.unhex(EchoScenario.hex((int) nanos));
            assertThat(back).isEqualTo(nanos);
        }
    }
}
