package io.switchboard.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class HubRecoveryTest {

    private final HubConfig config = new HubConfig(5, Duration.ofMinutes(10), 255, 128);
    private final GatedBroker broker = new GatedBroker(new MemoryBroker(config));
    private final Hub hub = new Hub(broker, config);
    private final ManualExecutor loop = new ManualExecutor();
    private final RecordingSubscriber sub = new RecordingSubscriber(loop);

    @AfterEach
    void close() {
        hub.close();
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private String publish(int count) throws Exception {
        String epoch = null;
        for (int i = 0; i < count; i++) {
            epoch = await(hub.publish("chat", "{}", null)).epoch();
        }
        return epoch;
    }

    /** Subscribes, recording the reply in the subscriber's event list where the transport would write it. */
    private CompletableFuture<SubscribeResult> subscribe(StreamPosition since) {
        CompletableFuture<SubscribeResult> reply = new CompletableFuture<>();
        hub.subscribe("chat", sub, since, new ClientInfo("c1", null, null)).whenComplete((r, e) -> {
            if (e == null) {
                sub.events.add("reply recovered=" + r.recovered() + " at " + r.position().offset());
                reply.complete(r);
            } else {
                reply.completeExceptionally(e);
            }
        });
        return reply;
    }

    @Test
    void replaysTheMessagesAfterTheCursorThenStreamsLive() throws Exception {
        broker.open();
        String epoch = publish(4);

        CompletableFuture<SubscribeResult> reply = subscribe(new StreamPosition(2, epoch));
        loop.runAll();
        publish(1);
        loop.runAll();

        assertThat(await(reply)).isEqualTo(new SubscribeResult(new StreamPosition(4, epoch), true));
        assertThat(sub.events).containsExactly(
                "reply recovered=true at 4", "pub chat 3", "pub chat 4", "flush", "pub chat 5", "flush");
    }

    @Test
    void deliversMessagesPublishedDuringTheHistoryReadOnceAtTheSeam() throws Exception {
        String epoch = publish(3);
        CompletableFuture<SubscribeResult> reply = subscribe(new StreamPosition(1, epoch));
        // Published after the subscriber registered but before history is read: both the live path
        // and the history read carry 4 and 5.
        publish(2);
        broker.open();
        loop.runAll();
        publish(1);
        loop.runAll();

        assertThat(await(reply).recovered()).isTrue();
        assertThat(sub.offsets("chat")).containsExactly(2L, 3L, 4L, 5L, 6L);
        assertThat(sub.events.get(0)).isEqualTo("reply recovered=true at 5");
    }

    @Test
    void startsLiveAtTheCurrentPositionWithoutACursor() throws Exception {
        broker.open();
        String epoch = publish(3);

        CompletableFuture<SubscribeResult> reply = subscribe(null);
        loop.runAll();
        publish(2);
        loop.runAll();

        assertThat(await(reply)).isEqualTo(new SubscribeResult(new StreamPosition(3, epoch), false));
        assertThat(sub.offsets("chat")).containsExactly(4L, 5L);
    }

    @Test
    void messagesPublishedDuringAPlainSubscribeFollowTheReportedPosition() throws Exception {
        publish(2);
        CompletableFuture<SubscribeResult> reply = subscribe(null);
        publish(2);
        broker.open();
        loop.runAll();
        publish(1);
        loop.runAll();

        // 3 and 4 reached the subscription after it registered: the reply says "after 2" and they follow it.
        assertThat(await(reply).position().offset()).isEqualTo(2);
        assertThat(sub.offsets("chat")).containsExactly(3L, 4L, 5L);
    }

    @Test
    void reportsNotRecoveredAndReplaysNothingForACursorOfAnotherEpoch() throws Exception {
        broker.open();
        String epoch = publish(3);

        CompletableFuture<SubscribeResult> reply = subscribe(new StreamPosition(1, "restarted"));
        loop.runAll();
        publish(1);
        loop.runAll();

        assertThat(await(reply)).isEqualTo(new SubscribeResult(new StreamPosition(3, epoch), false));
        assertThat(sub.offsets("chat")).containsExactly(4L);
    }

    @Test
    void reportsNotRecoveredAndReplaysNothingForACursorOlderThanHistory() throws Exception {
        broker.open();
        String epoch = publish(10); // history keeps 6..10

        CompletableFuture<SubscribeResult> reply = subscribe(new StreamPosition(4, epoch));
        loop.runAll();
        publish(1);
        loop.runAll();

        assertThat(await(reply)).isEqualTo(new SubscribeResult(new StreamPosition(10, epoch), false));
        assertThat(sub.offsets("chat")).containsExactly(11L);
    }

    @Test
    void recoversFromTheOldestKeptMessage() throws Exception {
        broker.open();
        String epoch = publish(10);

        CompletableFuture<SubscribeResult> reply = subscribe(new StreamPosition(5, epoch));
        loop.runAll();

        assertThat(await(reply).recovered()).isTrue();
        assertThat(sub.offsets("chat")).containsExactly(6L, 7L, 8L, 9L, 10L);
    }

    @Test
    void deliversNothingWhenUnsubscribedBeforeTheHistoryArrives() throws Exception {
        String epoch = publish(3);
        CompletableFuture<SubscribeResult> reply = subscribe(new StreamPosition(0, epoch));
        publish(1);
        hub.unsubscribe("chat", sub);
        broker.open();
        loop.runAll();
        publish(1);
        loop.runAll();

        assertThat(await(reply).recovered()).isTrue();
        assertThat(sub.messages).isEmpty();
    }
}
