package io.switchboard.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HubTest {

    private final HubConfig config = new HubConfig(100, Duration.ofMinutes(10), 32, 3);
    private final Hub hub = Hub.inMemory(config);

    @AfterEach
    void close() {
        hub.close();
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static ClientInfo client(String id) {
        return new ClientInfo(id, null, null);
    }

    @Test
    void publishAssignsConsecutiveOffsetsPerChannelInOneEpoch() throws Exception {
        Message a1 = await(hub.publish("a", "1", null));
        Message a2 = await(hub.publish("a", "2", null));
        Message b1 = await(hub.publish("b", "3", "c1"));

        assertThat(List.of(a1.offset(), a2.offset(), b1.offset())).containsExactly(1L, 2L, 1L);
        assertThat(a2.epoch()).isEqualTo(a1.epoch()).isEqualTo(b1.epoch()).isNotEmpty();
        assertThat(b1.origin()).isEqualTo("c1");
        assertThat(b1.data()).isEqualTo("3");
    }

    @Test
    void deliversOneBatchPerExecutorAndFlushesEachSubscriberOnce() throws Exception {
        ManualExecutor loop1 = new ManualExecutor();
        ManualExecutor loop2 = new ManualExecutor();
        RecordingSubscriber[] subs = {
            new RecordingSubscriber(loop1), new RecordingSubscriber(loop1), new RecordingSubscriber(loop1),
            new RecordingSubscriber(loop2), new RecordingSubscriber(loop2)};
        for (int i = 0; i < subs.length; i++) {
            hub.subscribe("chat", subs[i], null, client("c" + i));
        }
        loop1.runAll();
        loop2.runAll();
        for (RecordingSubscriber s : subs) {
            s.flushes = 0;
        }
        int tasks1 = loop1.submitted();
        int tasks2 = loop2.submitted();

        for (int i = 0; i < 50; i++) {
            hub.publish("chat", "{\"n\":" + i + "}", null);
        }

        assertThat(loop1.submitted() - tasks1).as("drain tasks on loop 1").isEqualTo(1);
        assertThat(loop2.submitted() - tasks2).as("drain tasks on loop 2").isEqualTo(1);
        loop1.runAll();
        loop2.runAll();
        for (RecordingSubscriber s : subs) {
            assertThat(s.offsets("chat")).hasSize(50).isSorted().startsWith(1L).endsWith(50L);
            assertThat(s.flushes).isEqualTo(1);
            assertThat(s.events.get(s.events.size() - 1)).isEqualTo("flush");
        }
    }

    @Test
    void aSubscriberWhoseFlushRunsOutOfMemoryDoesNotStopDeliveriesOnItsExecutor() throws Exception {
        ManualExecutor loop = new ManualExecutor();
        RecordingSubscriber starved = new RecordingSubscriber(loop) {
            @Override
            public void flush() {
                super.flush();
                if (flushes == 2) {
                    // Writing its reply out runs out of (direct) memory once.
                    throw new OutOfMemoryError("Cannot reserve 16777216 bytes of direct buffer memory");
                }
            }
        };
        RecordingSubscriber other = new RecordingSubscriber(loop);
        hub.subscribe("a", starved, null, client("c1"));
        hub.subscribe("a", other, null, client("c2"));
        loop.runAll();

        hub.publish("a", "1", null);
        loop.runAll();
        hub.publish("a", "2", null);
        loop.runAll();

        assertThat(other.offsets("a")).as("the other subscriber of the same executor").containsExactly(1L, 2L);
        assertThat(starved.offsets("a")).as("the failed one itself, after its failed flush").containsExactly(1L, 2L);
    }

    @Test
    void flushesOnceForMessagesOfSeveralChannelsInOneBatch() throws Exception {
        ManualExecutor loop = new ManualExecutor();
        RecordingSubscriber sub = new RecordingSubscriber(loop);
        hub.subscribe("a", sub, null, client("c1"));
        hub.subscribe("b", sub, null, client("c1"));
        loop.runAll();
        sub.events.clear();

        hub.publish("a", "1", null);
        hub.publish("b", "2", null);
        hub.publish("a", "3", null);
        assertThat(loop.pending()).isEqualTo(1);
        loop.runAll();

        assertThat(sub.events).containsExactly("pub a 1", "pub b 1", "pub a 2", "flush");
    }

    @Test
    void stopsDeliveringAfterUnsubscribe() throws Exception {
        ManualExecutor loop = new ManualExecutor();
        RecordingSubscriber sub = new RecordingSubscriber(loop);
        hub.subscribe("a", sub, null, client("c1"));
        hub.subscribe("b", sub, null, client("c1"));
        loop.runAll();

        hub.publish("a", "1", null);
        hub.unsubscribe("a", sub);
        hub.publish("a", "2", null);
        hub.publish("b", "3", null);
        loop.runAll();
        hub.unsubscribeAll(sub);
        hub.publish("b", "4", null);
        loop.runAll();

        assertThat(sub.offsets("a")).isEmpty();
        assertThat(sub.offsets("b")).containsExactly(1L);
    }

    @Test
    void rejectsInvalidChannelNames() {
        RecordingSubscriber sub = new RecordingSubscriber(Runnable::run);
        assertRefused(hub.subscribe("bad name", sub, null, client("c1")), ErrorCode.BAD_CHANNEL);
        assertRefused(hub.publish("", "1", null), ErrorCode.BAD_CHANNEL);
        assertRefused(hub.history("x".repeat(33), null, 10), ErrorCode.BAD_CHANNEL);
        assertRefused(hub.presence("a%b"), ErrorCode.BAD_CHANNEL);
    }

    @Test
    void refusesASubscriptionBeyondTheClientLimit() throws Exception {
        RecordingSubscriber sub = new RecordingSubscriber(Runnable::run);
        for (String ch : List.of("a", "b", "c")) {
            await(hub.subscribe(ch, sub, null, client("c1")));
        }
        assertRefused(hub.subscribe("d", sub, null, client("c1")), ErrorCode.TOO_MANY_SUBSCRIPTIONS);
        // Another client is not affected, and unsubscribing frees a slot.
        await(hub.subscribe("d", new RecordingSubscriber(Runnable::run), null, client("c2")));
        hub.unsubscribe("a", sub);
        await(hub.subscribe("d", sub, null, client("c1")));
    }

    @Test
    void countsTheLimitPerClientIdAcrossSubscriberObjects() throws Exception {
        for (String ch : List.of("a", "b", "c")) {
            await(hub.subscribe(ch, new RecordingSubscriber(Runnable::run), null, client("c1")));
        }
        assertRefused(hub.subscribe("d", new RecordingSubscriber(Runnable::run), null, client("c1")), ErrorCode.TOO_MANY_SUBSCRIPTIONS);
        assertRefused(hub.subscribe("a", new RecordingSubscriber(Runnable::run), null, client("c1")), ErrorCode.ALREADY_SUBSCRIBED);
    }

    @Test
    void refusesASecondSubscriptionToTheSameChannel() throws Exception {
        RecordingSubscriber sub = new RecordingSubscriber(Runnable::run);
        await(hub.subscribe("a", sub, null, null));
        assertRefused(hub.subscribe("a", sub, null, null), ErrorCode.ALREADY_SUBSCRIBED);
    }

    @Test
    void tellsSubscribersWhoJoinsAndLeavesButNotAboutThemselves() throws Exception {
        ManualExecutor loop = new ManualExecutor();
        RecordingSubscriber ann = new RecordingSubscriber(loop);
        RecordingSubscriber bob = new RecordingSubscriber(loop);
        hub.subscribe("room", ann, null, new ClientInfo("c1", "ann", null));
        loop.runAll();
        hub.subscribe("room", bob, null, new ClientInfo("c2", "bob", null));
        loop.runAll();

        assertThat(await(hub.presence("room"))).extracting(ClientInfo::user).containsExactly("ann", "bob");
        hub.unsubscribeAll(bob);
        loop.runAll();

        assertThat(ann.events).containsExactly("flush", "join room c2", "flush", "leave room c2", "flush");
        assertThat(bob.events).containsExactly("flush");
        assertThat(await(hub.presence("room"))).extracting(ClientInfo::clientId).containsExactly("c1");
    }

    @Test
    void aSubscriberWhoseExecutorShutDownIsAskedOnceAndCostsTheOthersNothing() throws Exception {
        AtomicInteger asked = new AtomicInteger();
        Executor shutDown = task -> {
            asked.incrementAndGet();
            throw new RejectedExecutionException("event loop shut down");
        };
        ManualExecutor loop = new ManualExecutor();
        RecordingSubscriber gone = new RecordingSubscriber(shutDown);
        RecordingSubscriber alive = new RecordingSubscriber(loop);
        hub.subscribe("chat", gone, null, client("c1"));
        hub.subscribe("chat", alive, null, client("c2"));
        loop.runAll();

        for (int i = 0; i < 3; i++) {
            await(hub.publish("chat", "{}", null));
        }
        loop.runAll();

        assertThat(asked).hasValue(1);
        assertThat(gone.messages).isEmpty();
        assertThat(alive.offsets("chat")).containsExactly(1L, 2L, 3L);
    }

    static void assertRefused(CompletionStage<?> stage, ErrorCode code) {
        assertThatThrownBy(() -> stage.toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(code));
    }

}
