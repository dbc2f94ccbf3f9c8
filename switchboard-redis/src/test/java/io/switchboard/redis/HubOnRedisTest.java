package io.switchboard.redis;

import io.switchboard.core.Hub;
import io.switchboard.core.HubConfig;
import io.switchboard.core.Message;
import io.switchboard.core.StreamPosition;
import io.switchboard.core.Subscriber;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes' hubs on one test-owned Redis: what a subscriber on node B sees when node B's
 * pub/sub connection drops, or when Redis restarts without its data, while node A publishes.
 */
class HubOnRedisTest {

    /** History of 100; channel positions checked every 200 ms (to catch a lost last message quickly). */
    private static final HubConfig CONFIG = new HubConfig(100, Duration.ofMinutes(10), 255, 128)
            .withPositionCheckInterval(Duration.ofMillis(200));

    private RedisServer redis;
    private Hub nodeA;
    private Hub nodeB;
    private final ExecutorService loop = Executors.newSingleThreadExecutor();
    private final Seen seen = new Seen();

    @BeforeEach
    void start() throws Exception {
        redis = RedisServer.start();
        nodeA = new Hub(connect(), CONFIG);
        nodeB = new Hub(connect(), CONFIG);
        nodeB.subscribe("a", seen, null, null).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        nodeA.close();
        nodeB.close();
        loop.shutdownNow();
        redis.close();
    }

    private RedisBroker connect() {
        return RedisBroker.connect(new RedisBrokerConfig(redis.uri()).commandTimeout(Duration.ofSeconds(2)));
    }

    /** Publishes on node A, retrying while Redis is unavailable; returns the stored message. */
    private Message publish(String data) throws Exception {
        return OnceAvailable.await(() -> nodeA.publish("a", data, null));
    }

    @Test
    void publicationsMissedWhileNodeBsPubSubWasDownArriveFromHistoryOnceInOrder() throws Exception {
        int count = 60;
        for (int i = 1; i <= count; i++) {
            publish(Integer.toString(i));
            if (i == 20) {
                // Redis drops every pub/sub connection: node B misses what is announced until it is back.
                assertThat(redis.cli("CLIENT", "KILL", "TYPE", "pubsub")).doesNotContain("ERR");
            }
            Thread.sleep(10);
        }

        seen.await(events -> events.stream().filter(e -> e instanceof Message).count() >= count);

        assertThat(seen.offsets()).containsExactlyElementsOf(LongStream.rangeClosed(1, count).boxed().toList());
        assertThat(seen.events()).noneMatch(e -> e instanceof StreamPosition);
    }

    @Test
    void aRedisRestartWithoutDataIsReportedNotRecoveredThenTheNewEpochFlows() throws Exception {
        Message before = publish("1");
        seen.await(events -> events.stream().anyMatch(e -> e instanceof Message m && m.position().equals(before.position())));

        redis.kill();
        redis.restart();
        Message after = publish("2");

        // Either message 2 follows the report, or the report's position already covers it.
        seen.await(events -> events.stream().anyMatch(e -> e instanceof Message m && m.position().equals(after.position())
                || e instanceof StreamPosition p && p.equals(after.position())));
        List<Object> events = seen.events();
        int lost = events.indexOf(events.stream().filter(e -> e instanceof StreamPosition).findFirst().orElseThrow());
        StreamPosition reported = (StreamPosition) events.get(lost);
        assertThat(reported.epoch()).as("reported with the new epoch").isEqualTo(after.epoch());
        assertThat(after.epoch()).isNotEqualTo(before.epoch());
        assertThat(events.subList(lost + 1, events.size())).allMatch(e -> e instanceof Message m && m.epoch().equals(after.epoch()));
        assertThat(events.subList(lost + 1, events.size()).size() + reported.offset()).as("nothing of the new epoch missing")
                .isEqualTo(after.offset());
    }

    /** A subscriber writing down publications (messages) and losses (positions) in the order it is told. */
    private final class Seen implements Subscriber {
        private final List<Object> events = new ArrayList<>();

        @Override
        public java.util.concurrent.Executor executor() {
            return loop;
        }

        @Override
        public synchronized void onPublication(Message message) {
            events.add(message);
            notifyAll();
        }

        @Override
        public synchronized void onNotRecovered(String channel, StreamPosition position) {
            events.add(position);
            notifyAll();
        }

        synchronized List<Object> events() {
            return List.copyOf(events);
        }

        synchronized List<Long> offsets() {
            List<Long> offsets = new ArrayList<>();
            for (Object e : events) {
                if (e instanceof Message m) {
                    offsets.add(m.offset());
                }
            }
            return offsets;
        }

        synchronized void await(Predicate<List<Object>> done) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            long left;
            while (!done.test(events) && (left = deadline - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            assertThat(done.test(events)).as("events so far: %s", events).isTrue();
        }
    }
}
