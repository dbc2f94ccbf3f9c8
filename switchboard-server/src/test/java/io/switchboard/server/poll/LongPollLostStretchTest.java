package io.switchboard.server.poll;

import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.core.Hub;
import io.switchboard.core.HubConfig;
import io.switchboard.core.StreamPosition;
import io.switchboard.server.http.ChannelQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the hub tells a held poll that publications were lost on their way (history no longer had
 * them), the poll answers at once, as for a lost cursor: {@code "recovered":false} and a cursor
 * past the loss.
 */
class LongPollLostStretchTest {

    private final Hub hub = Hub.inMemory(HubConfig.defaults());
    private final EmbeddedChannel channel = new EmbeddedChannel();

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
        hub.close();
    }

    @Test
    void aLostStretchAnswersAHeldPollAtOnceWithRecoveredFalseAndTheCursorPastIt() {
        List<LongPoll> answered = new ArrayList<>();
        ChannelQuery query = ChannelQuery.of(List.of("news"), null, hub.config());
        LongPoll poll = new LongPoll(hub, channel, query, TimeUnit.SECONDS.toNanos(30), 1 << 20, new HeldPolls(), answered::add);
        poll.start();
        channel.runPendingTasks(); // the hub's delivery batch: subscribed, nothing to answer yet
        assertThat(answered).isEmpty();
        String epoch = hub.history("news", null, 0).toCompletableFuture().join().position().epoch();

        poll.onNotRecovered("news", new StreamPosition(12, epoch));
        poll.flush();

        assertThat(answered).containsExactly(poll);
        assertThat(poll.recovered()).isFalse();
        assertThat(poll.cursor()).isEqualTo("12:" + epoch);
    }
}
