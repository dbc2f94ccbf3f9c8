package io.switchboard.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Recovery as a property: while two threads publish, a client on its own event loop is disconnected
 * at random points and each time comes back with the cursor of the last message it received. Over
 * many rounds (random counts, random disconnect points, random time away) the messages it received
 * across all its connections are every message after its first subscribe, exactly once, in order.
 */
class RecoveryUnderConcurrentPublishingTest {

    private static final int ROUNDS = 150;
    private static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final Hub hub = Hub.inMemory(new HubConfig(10_000, Duration.ofMinutes(10), 255, 128));
    private final ExecutorService loop = Executors.newSingleThreadExecutor();
    private final ExecutorService publishers = Executors.newFixedThreadPool(2);

    @AfterEach
    void close() {
        publishers.shutdownNow();
        loop.shutdownNow();
        hub.close();
    }

    @Test
    void aClientResubscribingWithItsCursorReceivesEveryMessageOnceInOrder() throws Exception {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        for (int round = 0; round < ROUNDS; round++) {
            runRound("round-" + round, random, "seed " + seed + ", round " + round);
        }
    }

    private void runRound(String channel, Random random, String description) throws Exception {
        int total = 100 + random.nextInt(400);
        Map<Long, String> stored = new ConcurrentHashMap<>();
        AtomicLong published = new AtomicLong();
        Received received = new Received();

        // Subscribed once before publishing starts, once while it runs: both seams get exercised.
        boolean subscribeFirst = random.nextBoolean();
        Connection connection = subscribeFirst ? Connection.open(hub, channel, loop, received, null) : null;
        List<Future<?>> running = new ArrayList<>();
        for (int p = 0; p < 2; p++) {
            int count = total / 2 + (p == 0 ? total % 2 : 0);
            running.add(publishers.submit(() -> {
                for (int i = 0; i < count; i++) {
                    Message m = hub.publish(channel, "{\"i\":" + i + "}", null).toCompletableFuture().get(5, TimeUnit.SECONDS);
                    stored.put(m.offset(), m.data());
                    published.incrementAndGet();
                }
                return null;
            }));
        }
        if (connection == null) {
            connection = Connection.open(hub, channel, loop, received, null);
        }
        SubscribeResult first = connection.reply.get(5, TimeUnit.SECONDS);
        long start = first.position().offset();

        int disconnects = 1 + random.nextInt(4);
        for (int d = 0; d < disconnects; d++) {
            int seen = received.count();
            int more = random.nextInt(60);
            awaitTrue(() -> received.count() >= seen + more || published.get() == total);
            StreamPosition cursor = connection.disconnect();
            long away = published.get() + random.nextInt(40);
            awaitTrue(() -> published.get() >= Math.min(away, total));
            connection = Connection.open(hub, channel, loop, received, cursor);
            SubscribeResult again = connection.reply.get(5, TimeUnit.SECONDS);
            assertThat(again.recovered()).as("%s: resubscribe from %s recovers", description, cursor).isTrue();
        }
        for (Future<?> f : running) {
            f.get(30, TimeUnit.SECONDS);
        }
        Connection last = connection;
        awaitTrue(() -> last.cursor.offset() >= total);
        last.disconnect();

        List<Message> messages = received.messages();
        assertThat(messages).extracting(Message::offset).as(description)
                .containsExactlyElementsOf(LongStream.rangeClosed(start + 1, total).boxed().toList());
        for (Message m : messages) {
            assertThat(m.data()).as("%s: data of offset %d", description, m.offset()).isEqualTo(stored.get(m.offset()));
        }
    }

    private static void awaitTrue(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT_NANOS;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition within 10 s").isLessThan(deadline);
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** Everything the client received, over all its connections; written only on the client's loop. */
    private static final class Received {
        private final List<Message> messages = new ArrayList<>();
        private final AtomicInteger count = new AtomicInteger();

        void add(Message m) {
            messages.add(m);
            count.incrementAndGet();
        }

        int count() {
            return count.get();
        }

        synchronized List<Message> messages() {
            return List.copyOf(messages);
        }
    }

    /** One connection of the client: a subscriber on the client's loop, with a fresh client id. */
    private static final class Connection implements Subscriber {
        private static final AtomicInteger IDS = new AtomicInteger();

        final CompletableFuture<SubscribeResult> reply = new CompletableFuture<>();
        private final Hub hub;
        private final String channel;
        private final ExecutorService loop;
        private final Received received;
        /** The cursor to come back with: the reply's position, then each received message's. */
        private volatile StreamPosition cursor;

        private Connection(Hub hub, String channel, ExecutorService loop, Received received) {
            this.hub = hub;
            this.channel = channel;
            this.loop = loop;
            this.received = received;
        }

        static Connection open(Hub hub, String channel, ExecutorService loop, Received received, StreamPosition since) {
            Connection c = new Connection(hub, channel, loop, received);
            ClientInfo client = new ClientInfo("client-" + IDS.incrementAndGet(), null, null);
            // Subscribed from the loop, as a transport handles a command on its event loop: the stage
            // then completes on the loop before any message of this subscription is delivered.
            loop.execute(() -> hub.subscribe(channel, c, since, client).whenComplete((result, error) -> {
                if (error != null) {
                    c.reply.completeExceptionally(error);
                } else {
                    c.cursor = since != null && result.recovered() ? since : result.position();
                    c.reply.complete(result);
                }
            }));
            return c;
        }

        /** Drops the connection on its loop, as a transport does when the socket closes; returns its cursor. */
        StreamPosition disconnect() throws Exception {
            return CompletableFuture.supplyAsync(() -> {
                hub.unsubscribe(channel, this);
                return cursor;
            }, loop).get(5, TimeUnit.SECONDS);
        }

        @Override
        public java.util.concurrent.Executor executor() {
            return loop;
        }

        @Override
        public void onPublication(Message message) {
            synchronized (received) {
                received.add(message);
            }
            cursor = message.position();
        }
    }
}
