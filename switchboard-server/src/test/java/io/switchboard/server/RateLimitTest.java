package io.switchboard.server;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RateLimitTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void allowsABurstOfTwiceTheRateThenRefusesThenRefills() {
        RateLimit limit = new RateLimit(10);
        long now = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            assertThat(limit.take(now)).as("message %d of the burst", i).isEqualTo(RateLimit.Verdict.ALLOW);
        }
        assertThat(limit.take(now)).isEqualTo(RateLimit.Verdict.REFUSE);
        assertThat(limit.take(now + SECOND / 10)).as("one token back after 100 ms").isEqualTo(RateLimit.Verdict.ALLOW);
        assertThat(limit.take(now + SECOND / 10)).isEqualTo(RateLimit.Verdict.REFUSE);
    }

    @Test
    void aClientThatKeepsSendingWhileRefusedForAWholeBurstIsClosed() {
        RateLimit limit = new RateLimit(5);
        long now = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            limit.take(now);
        }
        for (int i = 0; i < 9; i++) {
            assertThat(limit.take(now)).isEqualTo(RateLimit.Verdict.REFUSE);
        }
        assertThat(limit.take(now)).isEqualTo(RateLimit.Verdict.CLOSE);
    }

    @Test
    void zeroMeansUnlimited() {
        RateLimit limit = new RateLimit(0);
        for (int i = 0; i < 100_000; i++) {
            assertThat(limit.take(0)).isEqualTo(RateLimit.Verdict.ALLOW);
        }
    }
}
