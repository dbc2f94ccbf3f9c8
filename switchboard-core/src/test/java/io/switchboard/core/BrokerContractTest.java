package io.switchboard.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link Broker} must do. A broker implementation's test extends this class and says
 * how to build a fresh broker (with empty channels) for each test. Shipped in switchboard-core's
 * test-jar ({@code <type>test-jar</type>}) so brokers in other modules (Redis) run the same suite.
 */
public abstract class BrokerContractTest {

    /** History bounds used by the contract: 5 messages, kept for an hour. */
    protected static final PublishOptions OPTIONS = new PublishOptions(5, Duration.ofHours(1));

    /**
     * A fresh broker whose presence entries live {@code presenceTtl} unless re-added, and whose
     * channels are all empty (brokers made by one test share nothing).
     */
    protected abstract Broker newBroker(Duration presenceTtl);

    protected Broker broker;
    protected final RecordingListener listener = new RecordingListener();

    @BeforeEach
    protected void startBroker() throws Exception {
        broker = newBroker(HubConfig.DEFAULT_PRESENCE_TTL);
        broker.listen(listener);
        for (String channel : List.of("a", "b", "c", "p")) {
            await(broker.subscribe(channel));
        }
    }

    @AfterEach
    protected void closeBroker() {
        broker.close();
    }

    protected static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private List<Message> publish(String channel, int count) throws Exception {
        List<Message> stored = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            stored.add(await(broker.publish(channel, "{\"n\":" + i + "}", null, OPTIONS)));
        }
        return stored;
    }

    /** Reads history until {@code done} holds (a time-based change), failing after 10 seconds. */
    private HistoryResult awaitHistory(String channel, StreamPosition since, Predicate<HistoryResult> done)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        HistoryResult h = await(broker.history(channel, since, 100));
        while (!done.test(h) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            h = await(broker.history(channel, since, 100));
        }
        assertThat(done.test(h)).as("history reached the expected state: %s", h).isTrue();
        return h;
    }

    /** Waits until {@code nanoTime} passes; for tests about what holds after some time. */
    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    private static List<Long> offsets(List<Message> messages) {
        return messages.stream().map(Message::offset).toList();
    }

    @Test
    void publishAssignsOffsetsOneTwoThreePerChannel() throws Exception {
        List<Message> a = publish("a", 3);
        List<Message> b = publish("b", 2);

        assertThat(offsets(a)).containsExactly(1L, 2L, 3L);
        assertThat(offsets(b)).containsExactly(1L, 2L);
    }

    @Test
    void storedMessageCarriesChannelDataOriginTimeAndOneEpoch() throws Exception {
        long before = System.currentTimeMillis();
        Message m1 = await(broker.publish("a", "{\"text\":\"hi\"}", "client-1", OPTIONS));
        Message m2 = await(broker.publish("a", "[1,2]", null, OPTIONS));
        Message other = await(broker.publish("b", "3", null, OPTIONS));

        assertThat(m1.channel()).isEqualTo("a");
        assertThat(other.channel()).isEqualTo("b");
        assertThat(other.epoch()).isNotEmpty();
        assertThat(m1.data()).isEqualTo("{\"text\":\"hi\"}");
        assertThat(m1.origin()).isEqualTo("client-1");
        assertThat(m2.origin()).isNull();
        assertThat(m1.time()).isBetween(before - 1000, System.currentTimeMillis() + 1000);
        assertThat(m1.epoch()).isNotEmpty().isEqualTo(m2.epoch());
        assertThat(m1.position()).isEqualTo(new StreamPosition(1, m1.epoch()));
    }

    @Test
    void listenerReceivesEveryPublicationOnceInOffsetOrderUnderConcurrentPublishers() throws Exception {
        int threads = 4;
        int perThread = 250;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String channel = t % 2 == 0 ? "p" : "c";
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        await(broker.publish(channel, "1", null, OPTIONS));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            listener.awaitCount(threads * perThread);

            List<Long> expected = LongStream.rangeClosed(1, 2L * perThread).boxed().toList();
            assertThat(listener.offsets("p")).containsExactlyElementsOf(expected);
            assertThat(listener.offsets("c")).containsExactlyElementsOf(expected);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void historyReturnsTheMessagesAfterTheCursorOldestFirst() throws Exception {
        List<Message> stored = publish("a", 4);

        HistoryResult h = await(broker.history("a", stored.get(1).position(), 100));

        assertThat(offsets(h.messages())).containsExactly(3L, 4L);
        assertThat(h.messages().get(0).data()).isEqualTo("{\"n\":3}");
        assertThat(h.position()).isEqualTo(stored.get(3).position());
        assertThat(h.complete()).isTrue();
    }

    @Test
    void historyReturnsAtMostLimitMessagesAndLimitZeroOnlyThePosition() throws Exception {
        List<Message> stored = publish("a", 4);

        HistoryResult two = await(broker.history("a", null, 2));
        HistoryResult none = await(broker.history("a", stored.get(0).position(), 0));

        assertThat(offsets(two.messages())).containsExactly(1L, 2L);
        assertThat(two.position().offset()).isEqualTo(4);
        assertThat(none.messages()).isEmpty();
        assertThat(none.position()).isEqualTo(stored.get(3).position());
        assertThat(none.complete()).isTrue();
    }

    @Test
    void historyOfAnUnusedChannelIsEmptyAtOffsetZero() throws Exception {
        String epoch = await(broker.publish("b", "1", null, OPTIONS)).epoch();

        HistoryResult h = await(broker.history("never-used", null, 10));

        assertThat(h.messages()).isEmpty();
        assertThat(h.position().offset()).isZero();
        assertThat(h.complete()).isTrue();
        assertThat(await(broker.history("never-used", new StreamPosition(0, epoch), 10)).complete()).isTrue();
    }

    @Test
    void historyKeepsTheNewestHistorySizeMessages() throws Exception {
        publish("a", 8);

        HistoryResult h = await(broker.history("a", null, 100));

        assertThat(offsets(h.messages())).containsExactly(4L, 5L, 6L, 7L, 8L);
        assertThat(h.complete()).as("messages 1-3 are gone").isFalse();
    }

    @Test
    void historyIsIncompleteAndEmptyForACursorOlderThanKeptHistory() throws Exception {
        List<Message> stored = publish("a", 8);

        HistoryResult tooOld = await(broker.history("a", stored.get(1).position(), 100));
        HistoryResult justKept = await(broker.history("a", stored.get(2).position(), 100));

        assertThat(tooOld.complete()).isFalse();
        assertThat(tooOld.messages()).isEmpty();
        assertThat(tooOld.position()).isEqualTo(stored.get(7).position());
        assertThat(justKept.complete()).isTrue();
        assertThat(offsets(justKept.messages())).containsExactly(4L, 5L, 6L, 7L, 8L);
    }

    @Test
    void historyIsIncompleteForACursorOfAnotherEpoch() throws Exception {
        String epoch = publish("a", 3).get(0).epoch();

        HistoryResult h = await(broker.history("a", new StreamPosition(1, epoch + "x"), 100));

        assertThat(h.complete()).isFalse();
        assertThat(h.messages()).isEmpty();
        assertThat(h.position()).isEqualTo(new StreamPosition(3, epoch));
    }

    @Test
    void historyIsIncompleteForACursorAheadOfTheStream() throws Exception {
        String epoch = publish("a", 3).get(0).epoch();

        HistoryResult h = await(broker.history("a", new StreamPosition(9, epoch), 100));

        assertThat(h.complete()).isFalse();
        assertThat(h.messages()).isEmpty();
    }

    @Test
    void historyIsCompleteAndEmptyAtTheLatestPosition() throws Exception {
        List<Message> stored = publish("a", 8);

        HistoryResult h = await(broker.history("a", stored.get(7).position(), 100));

        assertThat(h.complete()).isTrue();
        assertThat(h.messages()).isEmpty();
    }

    @Test
    void aPublicationSeenByTheListenerIsInHistory() throws Exception {
        Message m = await(broker.publish("a", "\"x\"", null, OPTIONS));
        listener.awaitCount(1);

        HistoryResult h = await(broker.history("a", null, 10));

        assertThat(h.messages()).extracting(Message::position).containsExactly(m.position());
    }

    @Test
    void eachPublicationsHistorySizeBoundsTheChannelFromThenOn() throws Exception {
        publish("a", 4);
        await(broker.publish("a", "5", null, new PublishOptions(2, Duration.ofHours(1))));

        HistoryResult h = await(broker.history("a", null, 100));

        assertThat(offsets(h.messages())).containsExactly(4L, 5L);
        assertThat(h.complete()).isFalse();
    }

    @Test
    void aMessageLeavesHistoryWhenItsPublicationsHistoryTtlHasPassed() throws Exception {
        Message shortLived = await(broker.publish("a", "1", null, new PublishOptions(5, Duration.ofMillis(500))));
        Message kept = await(broker.publish("a", "2", null, OPTIONS));

        HistoryResult h = awaitHistory("a", null, r -> r.messages().size() == 1);

        assertThat(h.messages()).extracting(Message::position).containsExactly(kept.position());
        assertThat(h.complete()).as("message 1 is gone").isFalse();
        assertThat(await(broker.history("a", shortLived.position(), 10)).complete())
                .as("nothing after the cursor is gone").isTrue();
    }

    @Test
    void aCursorAtOffsetZeroOfAnyEpochHasSeenNothingAndRecoversFromTheFirstMessage() throws Exception {
        List<Message> stored = publish("a", 2);

        HistoryResult h = await(broker.history("a", new StreamPosition(0, stored.get(0).epoch() + "x"), 10));

        assertThat(h.complete()).isTrue();
        assertThat(offsets(h.messages())).containsExactly(1L, 2L);
    }

    @Test
    void aNeverUsedChannelIsAtOffsetZeroOfTheEpochItsFirstPublicationCarries() throws Exception {
        HistoryResult before = await(broker.history("fresh", null, 0));

        Message first = await(broker.publish("fresh", "1", null, OPTIONS));

        assertThat(before.position().offset()).isZero();
        assertThat(first.epoch()).isEqualTo(before.position().epoch());
        assertThat(await(broker.history("fresh", before.position(), 10)).complete()).isTrue();
    }

    @Test
    void aPresenceEntryThatIsNotAddedAgainExpiresAndIsAnnouncedAsALeave() throws Exception {
        RecordingListener events = new RecordingListener();
        Broker shortLived = newBroker(Duration.ofSeconds(1));
        try {
            shortLived.listen(events);
            await(shortLived.subscribe("a"));
            ClientInfo ann = new ClientInfo("c1", "ann", null);

            await(shortLived.addPresence("a", ann));
            assertThat(await(shortLived.presence("a"))).containsExactly(ann);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!await(shortLived.presence("a")).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(await(shortLived.presence("a"))).as("present after its TTL").isEmpty();
            events.awaitEvents(2);
            assertThat(events.presenceEvents).containsExactly("join a c1", "leave a c1");
            assertThat(shortLived.presenceTtl()).isEqualTo(Duration.ofSeconds(1));
        } finally {
            shortLived.close();
        }
    }

    @Test
    void addingAPresentClientAgainRefreshesItsEntryWithoutAnotherJoin() throws Exception {
        RecordingListener events = new RecordingListener();
        Duration ttl = Duration.ofSeconds(3);
        Broker shortLived = newBroker(ttl);
        try {
            shortLived.listen(events);
            await(shortLived.subscribe("a"));
            ClientInfo ann = new ClientInfo("c1", "ann", null);
            long added = System.nanoTime();
            await(shortLived.addPresence("a", ann));

            sleepUntil(added + ttl.toNanos() * 2 / 3);
            await(shortLived.addPresence("a", new ClientInfo("c1", "ann", "{\"away\":true}")));
            sleepUntil(added + ttl.toNanos() * 7 / 6);

            assertThat(await(shortLived.presence("a"))).as("refreshed past its first expiry")
                    .containsExactly(new ClientInfo("c1", "ann", "{\"away\":true}"));
            assertThat(events.presenceEvents).containsExactly("join a c1");
        } finally {
            shortLived.close();
        }
    }

    @Test
    void presenceListsClientsInJoinOrderAndAnnouncesJoinsAndLeavesOnce() throws Exception {
        ClientInfo ann = new ClientInfo("c1", "ann", "{\"color\":\"red\"}");
        ClientInfo bob = new ClientInfo("c2", "bob", null);

        await(broker.addPresence("a", ann));
        await(broker.addPresence("a", bob));
        await(broker.addPresence("a", ann));
        assertThat(await(broker.presence("a"))).containsExactly(ann, bob);

        await(broker.removePresence("a", ann));
        await(broker.removePresence("a", ann));
        assertThat(await(broker.presence("a"))).containsExactly(bob);
        assertThat(await(broker.presence("b"))).isEmpty();

        listener.awaitEvents(3);
        assertThat(listener.presenceEvents).containsExactly("join a c1", "join a c2", "leave a c1");
    }

    /** Records what a broker tells its hub; brokers' own tests use it too. */
    public static final class RecordingListener implements Broker.Listener {
        final Map<String, List<Long>> offsets = new ConcurrentHashMap<>();
        final List<String> presenceEvents = Collections.synchronizedList(new ArrayList<>());
        private final List<Message> messages = new ArrayList<>();

        @Override
        public void onPublication(Message message) {
            offsets.computeIfAbsent(message.channel(), c -> Collections.synchronizedList(new ArrayList<>())).add(message.offset());
            synchronized (this) {
                messages.add(message);
                notifyAll();
            }
        }

        @Override
        public void onJoin(String channel, ClientInfo client) {
            event("join " + channel + " " + client.clientId());
        }

        @Override
        public void onLeave(String channel, ClientInfo client) {
            event("leave " + channel + " " + client.clientId());
        }

        private synchronized void event(String line) {
            presenceEvents.add(line);
            notifyAll();
        }

        /** The offsets of {@code channel}'s publications, in the order they arrived. */
        public List<Long> offsets(String channel) {
            List<Long> list = offsets.getOrDefault(channel, List.of());
            synchronized (list) {
                return List.copyOf(list);
            }
        }

        /** Every publication, in the order they arrived. */
        public synchronized List<Message> messages() {
            return List.copyOf(messages);
        }

        /** Joins and leaves as {@code "join <channel> <client id>"} and {@code "leave …"}, in order. */
        public List<String> presenceEvents() {
            synchronized (presenceEvents) {
                return List.copyOf(presenceEvents);
            }
        }

        /** Waits up to 10 s until exactly {@code expected} publications arrived; fails otherwise. */
        public synchronized void awaitCount(int expected) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (messages.size() < expected && System.nanoTime() < deadline) {
                wait(100);
            }
            assertThat(messages.size()).as("publications seen by the listener").isEqualTo(expected);
        }

        /** Waits up to 10 s until {@code expected} joins and leaves arrived. */
        public synchronized void awaitEvents(int expected) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (presenceEvents.size() < expected && System.nanoTime() < deadline) {
                wait(100);
            }
        }
    }
}
