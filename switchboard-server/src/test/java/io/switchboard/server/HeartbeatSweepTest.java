package io.switchboard.server;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** One sweep per event loop beats every watched target and lets go of the ones that are gone. */
class HeartbeatSweepTest {

    private final EventLoop loop = new DefaultEventLoop();

    @AfterEach
    void stop() throws InterruptedException {
        loop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).await(5, TimeUnit.SECONDS);
    }

    /** A target that counts its beats and says it is gone after {@code lives} of them. */
    private static final class Target {
        final AtomicInteger beats = new AtomicInteger();
        final int lives;

        Target(int lives) {
            this.lives = lives;
        }

        boolean beat() {
            return beats.incrementAndGet() < lives;
        }
    }

    @Test
    void beatsEveryTargetEachIntervalAndDropsTheOnesThatAreGone() throws Exception {
        Heartbeat<Target> heartbeat = new Heartbeat<>(Duration.ofMillis(10), Target::beat);
        Target lasting = new Target(Integer.MAX_VALUE);
        Target leaving = new Target(2);
        loop.submit(() -> {
            heartbeat.watch(loop, lasting);
            heartbeat.watch(loop, leaving);
        }).sync();

        TestServer.await("ten beats of the lasting target", () -> lasting.beats.get() >= 10);

        assertThat(leaving.beats.get()).isEqualTo(2);
    }

    @Test
    void aZeroIntervalNeverBeats() throws Exception {
        Heartbeat<Target> heartbeat = new Heartbeat<>(Duration.ZERO, Target::beat);
        Target target = new Target(Integer.MAX_VALUE);
        Heartbeat<Target> probe = new Heartbeat<>(Duration.ofMillis(10), Target::beat);
        Target clock = new Target(Integer.MAX_VALUE);
        loop.submit(() -> {
            heartbeat.watch(loop, target);
            probe.watch(loop, clock);
        }).sync();

        TestServer.await("five beats of a 10 ms heartbeat on the same loop", () -> clock.beats.get() >= 5);

        assertThat(target.beats.get()).isZero();
    }
}
