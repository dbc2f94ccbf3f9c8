package io.switchboard.server.sse;

import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.core.Hub;
import io.switchboard.core.HubConfig;
import io.switchboard.core.MemoryBroker;
import io.switchboard.server.SlowConsumerGrace;
import io.switchboard.server.http.ChannelQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An event stream follows the server's slow-consumer rule: over its outbound limit for the grace
 * period, it is closed (the client resumes from Last-Event-ID); back under it in time, it stays.
 * Loopback sockets buffer megabytes, so this drives the stream's pipeline directly.
 */
class SseStreamSlowConsumerTest {

    private final Hub hub = new Hub(new MemoryBroker(HubConfig.defaults()), HubConfig.defaults());
    private final EmbeddedChannel channel = new EmbeddedChannel();

    SseStreamSlowConsumerTest() {
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        channel.freezeTime();
        ChannelQuery query = ChannelQuery.of(List.of("news"), null, hub.config());
        channel.pipeline().addLast(new SseStream(hub, channel, SseEvents.namedByChannel(), query,
                new SlowConsumerGrace(Duration.ofSeconds(5)), null));
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void wait(int seconds) {
        channel.advanceTimeBy(seconds, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void aStreamOverItsLimitForTheGracePeriodIsClosed() {
        channel.write(Unpooled.wrappedBuffer(new byte[64])); // unsent: over the high-water mark
        assertThat(channel.isWritable()).isFalse();
        wait(4);
        assertThat(channel.isOpen()).isTrue();
        wait(1);
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aStreamThatCatchesUpInTimeStaysOpen() {
        channel.write(Unpooled.wrappedBuffer(new byte[64]));
        wait(4);
        channel.flush();
        assertThat(channel.isWritable()).isTrue();
        wait(10);
        assertThat(channel.isOpen()).isTrue();
    }
}
