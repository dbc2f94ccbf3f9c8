package io.switchboard.server.sse;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.core.Hub;
import io.switchboard.core.HubConfig;
import io.switchboard.core.StreamPosition;
import io.switchboard.server.Heartbeat;
import io.switchboard.server.SlowConsumerGrace;
import io.switchboard.server.http.ChannelQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the hub tells an open event stream that publications were lost on their way (history no
 * longer had them), the client gets what it gets for a lost cursor on opening: an {@code id:} that
 * moves its Last-Event-ID past the loss, then the unnamed {@code "recovered":false} event.
 */
class SseStreamLostStretchTest {

    private final Hub hub = Hub.inMemory(HubConfig.defaults());
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final SseStream stream;

    SseStreamLostStretchTest() {
        ChannelQuery query = ChannelQuery.of(List.of("news"), null, hub.config());
        stream = new SseStream(hub, channel, SseEvents.namedByChannel(), query, new SlowConsumerGrace(Duration.ofSeconds(5)), null);
        channel.pipeline().addLast(stream);
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        hub.close();
    }

    private String written() {
        StringBuilder out = new StringBuilder();
        for (ByteBuf chunk; (chunk = channel.readOutbound()) != null; ) {
            out.append(chunk.toString(StandardCharsets.UTF_8));
            chunk.release();
        }
        return out.toString();
    }

    @Test
    void aLostStretchMovesTheStreamsIdPastItAndIsToldAsAnUnnamedNotRecoveredEvent() {
        stream.start(new Heartbeat<>(Duration.ZERO, SseStream::ping));
        channel.runPendingTasks(); // the hub's delivery batch: subscribed, the stream opens
        String epoch = hub.history("news", null, 0).toCompletableFuture().join().position().epoch();
        assertThat(written()).contains("id: 0:" + epoch + "\n\n");

        stream.onNotRecovered("news", new StreamPosition(12, epoch));
        stream.flush();

        String told = written();
        assertThat(told).contains("id: 12:" + epoch + "\n\n");
        assertThat(told.indexOf("id: 12:" + epoch))
                .isLessThan(told.indexOf("data: {\"channel\":\"news\",\"offset\":12,\"epoch\":\"" + epoch + "\",\"recovered\":false}\n\n"));
    }
}
