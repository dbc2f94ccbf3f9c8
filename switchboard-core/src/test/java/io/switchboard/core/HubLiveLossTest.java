package io.switchboard.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Live delivery from a broker is at-most-once; what a subscriber sees is still every message once,
 * in order, or a plain {@code recovered:false} with the position the stream goes on from.
 */
class HubLiveLossTest {

    private static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);

    /** Five messages of history; no periodic work unless a test asks for it. */
    private final HubConfig config = new HubConfig(5, Duration.ofMinutes(10), 255, 128)
            .withPositionCheckInterval(Duration.ZERO)
            .withPresenceTtl(Duration.ZERO);
    private UnreliableBroker broker = new UnreliableBroker(config);
    private Hub hub = new Hub(broker, config);
    private final ManualExecutor loop = new ManualExecutor();
    private final RecordingSubscriber sub = new RecordingSubscriber(loop);
    private ExecutorService realLoop;

    @AfterEach
    void close() {
        hub.close();
        if (realLoop != null) {
            realLoop.shutdownNow();
        }
    }

    private void useConfig(HubConfig other) {
        hub.close();
        broker = new UnreliableBroker(other);
        hub = new Hub(broker, other);
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("%s within 10 s", what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    private void publish(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            await(hub.publish("chat", "{}", null));
        }
    }

    /** What the subscriber was told, without the flushes. */
    private static List<String> told(RecordingSubscriber s) {
        synchronized (s.events) {
            return s.events.stream().filter(e -> !e.equals("flush")).toList();
        }
    }

    @Test
    void aGapInLiveDeliveryIsFilledFromHistoryInOrderWithoutDuplicates() throws Exception {
        hub.subscribe("chat", sub, null, null);
        loop.runAll();
        publish(1);
        loop.runAll();

        broker.dropLive(2);
        publish(3); // 2 and 3 never arrive live; 4 does, and shows the gap
        loop.runAll();
        publish(1);
        loop.runAll();

        assertThat(told(sub)).containsExactly("pub chat 1", "pub chat 2", "pub chat 3", "pub chat 4", "pub chat 5");
    }

    @Test
    void aGapBeyondHistoryIsReportedNotRecoveredWithTheNewPositionThenLiveGoesOn() throws Exception {
        hub.subscribe("chat", sub, null, null);
        loop.runAll();
        publish(1);
        loop.runAll();

        broker.dropLive(6);
        publish(7); // 2..7 lost live, and history keeps only 4..8; 8 arrives
        loop.runAll();
        publish(1);
        loop.runAll();

        String epoch = broker.epoch();
        assertThat(told(sub)).containsExactly(
                "pub chat 1", "not recovered chat after 7:" + epoch, "pub chat 8", "pub chat 9");
    }

    @Test
    void aNewEpochOnTheLiveStreamIsReportedNotRecovered() throws Exception {
        hub.subscribe("chat", sub, null, null);
        loop.runAll();
        publish(2);
        loop.runAll();
        String before = broker.epoch();

        broker.restart();
        publish(2);
        loop.runAll();

        String after = broker.epoch();
        assertThat(after).isNotEqualTo(before);
        assertThat(told(sub)).containsExactly(
                "pub chat 1", "pub chat 2", "not recovered chat after 0:" + after, "pub chat 1", "pub chat 2");
        assertThat(sub.messages).extracting(Message::epoch).containsExactly(before, before, after, after);
    }

    @Test
    void subscriptionsMissingTheSameStretchShareOneHistoryRead() throws Exception {
        RecordingSubscriber[] subs = {new RecordingSubscriber(loop), new RecordingSubscriber(loop), new RecordingSubscriber(loop)};
        for (RecordingSubscriber s : subs) {
            hub.subscribe("chat", s, null, null);
        }
        loop.runAll();
        publish(1);
        loop.runAll();
        CompletableFuture<Void> history = broker.holdHistory();
        int readsBefore = broker.historyReads();

        broker.dropLive(1);
        publish(2);
        loop.runAll();
        history.complete(null);
        loop.runAll();

        assertThat(broker.historyReads() - readsBefore).isEqualTo(1);
        for (RecordingSubscriber s : subs) {
            assertThat(s.offsets("chat")).containsExactly(1L, 2L, 3L);
        }
    }

    @Test
    void thePositionCheckCatchesALostLastMessage() throws Exception {
        useConfig(config.withPositionCheckInterval(Duration.ofMillis(50)));
        realLoop = Executors.newSingleThreadExecutor();
        RecordingSubscriber live = new RecordingSubscriber(realLoop);
        await(hub.subscribe("chat", live, null, null));
        publish(1);
        awaitTrue("message 1 delivered live", () -> live.offsets("chat").size() == 1);

        broker.dropLive(1);
        publish(1); // the channel's last message: nothing after it reveals the loss

        awaitTrue("the lost message 2 delivered", () -> live.offsets("chat").size() == 2);
        assertThat(live.offsets("chat")).containsExactly(1L, 2L);
        assertThat(told(live)).noneMatch(e -> e.startsWith("not recovered"));
    }

    @Test
    void whileTwoThreadsPublishAndLiveDeliveryLosesSomeAtRandomEveryMessageArrivesOnceInOrder() throws Exception {
        useConfig(new HubConfig(10_000, Duration.ofMinutes(10), 255, 128).withPositionCheckInterval(Duration.ofMillis(20)));
        realLoop = Executors.newSingleThreadExecutor();
        ExecutorService publishers = Executors.newFixedThreadPool(2);
        try {
            RecordingSubscriber live = new RecordingSubscriber(realLoop);
            await(hub.subscribe("chat", live, null, null));
            long seed = new Random().nextLong();
            Random random = new Random(seed);
            int total = 2000;
            List<Future<?>> running = new ArrayList<>();
            for (int p = 0; p < 2; p++) {
                running.add(publishers.submit(() -> {
                    for (int i = 0; i < total / 2; i++) {
                        await(hub.publish("chat", "{}", null));
                    }
                    return null;
                }));
            }
            while (running.stream().anyMatch(f -> !f.isDone())) {
                broker.dropLive(1 + random.nextInt(3));
                Thread.sleep(random.nextInt(3));
            }
            for (Future<?> f : running) {
                f.get(30, TimeUnit.SECONDS);
            }

            assertThat(broker.dropped()).as("live publications lost").isPositive();
            awaitTrue("every message delivered (seed " + seed + ")", () -> live.offsets("chat").size() >= total);
            assertThat(live.offsets("chat")).as("seed %d", seed)
                    .containsExactlyElementsOf(LongStream.rangeClosed(1, total).boxed().toList());
            assertThat(told(live)).noneMatch(e -> e.startsWith("not recovered"));
        } finally {
            publishers.shutdownNow();
        }
    }

    @Test
    void aSubscribeIsAnsweredOnlyOnceTheBrokerSubscribed() throws Exception {
        CompletableFuture<Void> brokerSubscribe = broker.holdSubscribes();
        CompletableFuture<SubscribeResult> reply = hub.subscribe("chat", sub, null, null).toCompletableFuture();
        loop.runAll();
        assertThat(reply).isNotDone();

        brokerSubscribe.complete(null);
        loop.runAll();

        assertThat(reply).isCompleted();
    }

    @Test
    void brokerSubscribeAndUnsubscribeCallsKeepTheirOrderPerChannel() throws Exception {
        CompletableFuture<Void> brokerSubscribe = broker.holdSubscribes();
        RecordingSubscriber other = new RecordingSubscriber(loop);
        CompletionStage<SubscribeResult> first = hub.subscribe("chat", sub, null, null);
        hub.unsubscribe("chat", sub);
        CompletionStage<SubscribeResult> second = hub.subscribe("chat", other, null, null);

        brokerSubscribe.complete(null);
        loop.runAll();

        assertThat(broker.calls).containsExactly("subscribe chat", "unsubscribe chat", "subscribe chat");
        await(first);
        await(second);
        publish(1);
        loop.runAll();
        assertThat(other.offsets("chat")).containsExactly(1L);
        assertThat(sub.messages).isEmpty();
    }

    @Test
    void aFailedSubscribeLeavesNoPresenceBehind() throws Exception {
        broker.failSubscribes("room");

        CompletionStage<SubscribeResult> reply = hub.subscribe("room", sub, null, new ClientInfo("c1", "ann", null));
        loop.runAll();

        assertThatThrownBy(() -> await(reply)).hasMessageContaining("broker unreachable");
        assertThat(await(hub.presence("room"))).isEmpty();
        assertThat(hub.subscriberCount()).isZero();
    }

    @Test
    void presenceIsRefreshedWithinTheBrokersExpiryWhenItIsShorterThanTheHubsSetting() throws Exception {
        AtomicInteger adds = new AtomicInteger();
        MemoryBroker expiring = new MemoryBroker(Duration.ofMillis(1500), Clock.systemUTC());
        HubConfig longTtl = config.withPresenceTtl(Duration.ofMinutes(10));
        hub.close();
        hub = new Hub(new ForwardingBroker() {
            @Override
            Broker delegate() {
                return expiring;
            }

            @Override
            public CompletionStage<Void> addPresence(String channel, ClientInfo client) {
                adds.incrementAndGet();
                return expiring.addPresence(channel, client);
            }
        }, longTtl);
        await(hub.subscribe("room", new RecordingSubscriber(Runnable::run), null, new ClientInfo("c1", "ann", null)));

        // Five refreshes a third of the broker's expiry apart: the first entry would have expired by now.
        awaitTrue("five refreshes", () -> adds.get() >= 6);
        assertThat(await(hub.presence("room"))).extracting(ClientInfo::clientId).containsExactly("c1");
    }

    @Test
    void liveClientsComeBackIntoPresenceTheBrokerLetExpire() throws Exception {
        useConfig(config.withPresenceTtl(Duration.ofMillis(150)));
        RecordingSubscriber ann = new RecordingSubscriber(Runnable::run);
        RecordingSubscriber bob = new RecordingSubscriber(Runnable::run);
        await(hub.subscribe("room", ann, null, new ClientInfo("c1", "ann", null)));
        await(hub.subscribe("room", bob, null, new ClientInfo("c2", "bob", null)));
        hub.unsubscribe("room", bob);

        broker.expirePresence("room");

        awaitTrue("ann present again", () -> !hub.presence("room").toCompletableFuture().join().isEmpty());
        assertThat(await(hub.presence("room"))).extracting(ClientInfo::clientId).containsExactly("c1");
    }
}
