package io.switchboard.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.ScheduledFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A connection that stays unwritable for the grace period is ended; one that recovers in time is not. */
class SlowConsumerGraceTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final SlowConsumerGrace grace = new SlowConsumerGrace(Duration.ofSeconds(5));
    private final AtomicInteger ended = new AtomicInteger();
    private ScheduledFuture<?> armed;

    SlowConsumerGraceTest() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        channel.freezeTime();
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void fallBehind() {
        channel.write(Unpooled.wrappedBuffer(new byte[64])); // queued, not flushed: over the high-water mark
        assertThat(channel.isWritable()).isFalse();
        armed = grace.writabilityChanged(channel, armed, ended::incrementAndGet);
    }

    private void catchUp() {
        channel.flush(); // the embedded channel takes everything: back under the low-water mark
        assertThat(channel.isWritable()).isTrue();
        armed = grace.writabilityChanged(channel, armed, ended::incrementAndGet);
    }

    private void wait(int seconds) {
        channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void endsAConnectionThatStaysUnwritableForTheGrace() {
        fallBehind();
        wait(4);
        assertThat(ended).hasValue(0);
        wait(1);
        assertThat(ended).hasValue(1);
    }

    @Test
    void sparesAConnectionThatCatchesUpInTime() {
        fallBehind();
        wait(4);
        catchUp();
        assertThat((Object) armed).isNull();
        wait(10);
        assertThat(ended).hasValue(0);
    }

    @Test
    void armsAgainAfterAnEarlierTimerRanOut() {
        fallBehind();
        wait(5);
        catchUp();
        fallBehind();
        wait(5);
        assertThat(ended).hasValue(2);
    }

    @Test
    void aZeroGraceNeverEndsAnything() {
        SlowConsumerGrace never = new SlowConsumerGrace(Duration.ZERO);
        channel.write(Unpooled.wrappedBuffer(new byte[64]));
        assertThat(never.enabled()).isFalse();
        assertThat((Object) never.writabilityChanged(channel, null, ended::incrementAndGet)).isNull();
        wait(60);
        assertThat(ended).hasValue(0);
    }
}
