package io.switchboard.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    private final Backoff backoff = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(5), 2.0);

    @Test
    void ceilingGrowsByTheMultiplierUpToMax() {
        assertThat(backoff.ceiling(0)).isEqualTo(Duration.ofMillis(100));
        assertThat(backoff.ceiling(1)).isEqualTo(Duration.ofMillis(200));
        assertThat(backoff.ceiling(5)).isEqualTo(Duration.ofMillis(3200));
        assertThat(backoff.ceiling(6)).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.ceiling(10_000)).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void fullJitterDrawsBetweenZeroAndTheCeiling() {
        Random random = new Random(42);
        Backoff jittered = backoff.jitter(random::nextDouble);
        long belowHalf = 0;
        for (int attempt = 0; attempt < 12; attempt++) {
            for (int i = 0; i < 200; i++) {
                Duration delay = jittered.delay(attempt);
                assertThat(delay).isBetween(Duration.ZERO, backoff.ceiling(attempt));
                if (delay.compareTo(backoff.ceiling(attempt).dividedBy(2)) < 0) {
                    belowHalf++;
                }
            }
        }
        // Spread over the whole range, not pinned to the ceiling.
        assertThat(belowHalf).isBetween(800L, 1600L);
    }

    @Test
    void resetsAfterMaxUnlessToldOtherwise() {
        assertThat(backoff.resetAfter()).isEqualTo(Duration.ofSeconds(5));
        assertThat(backoff.resetAfter(Duration.ofSeconds(30)).resetAfter()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void rejectsBoundsThatCannotWork() {
        assertThatThrownBy(() -> Backoff.exponential(Duration.ZERO, Duration.ofSeconds(1), 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1), 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(2), 0.5)).isInstanceOf(IllegalArgumentException.class);
    }
}
