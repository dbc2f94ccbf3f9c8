package io.switchboard.redis;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.switchboard.core.Broker;
import io.switchboard.core.BrokerContractTest;
import io.switchboard.core.ClientInfo;
import io.switchboard.core.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The broker contract on the shared standalone Redis at 127.0.0.1:6379 (each broker under a key
 * prefix of its own, removed after the test), plus what only a shared broker does: two nodes on
 * one Redis see one stream.
 */
class RedisBrokerTest extends BrokerContractTest {

    static final String REDIS = "redis://127.0.0.1:6379";

    private static RedisClient cleaner;
    private static StatefulRedisConnection<String, String> cleanup;
    private final List<String> prefixes = new ArrayList<>();

    @BeforeAll
    static void connectCleaner() {
        cleaner = RedisClient.create(REDIS);
        cleanup = cleaner.connect();
    }

    @AfterAll
    static void closeCleaner() {
        cleanup.close();
        cleaner.shutdown();
    }

    @Override
    protected Broker newBroker(Duration presenceTtl) {
        String prefix = "switchboard-test:" + UUID.randomUUID() + ":";
        prefixes.add(prefix);
        return RedisBroker.connect(new RedisBrokerConfig(REDIS).keyPrefix(prefix).presenceTtl(presenceTtl));
    }

    @AfterEach
    void removeKeys() {
        RedisCommands<String, String> redis = cleanup.sync();
        for (String prefix : prefixes) {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(prefix + "*").limit(1000));
                if (!page.getKeys().isEmpty()) {
                    redis.unlink(page.getKeys().toArray(String[]::new));
                }
                cursor = page;
            } while (!cursor.isFinished());
        }
    }

    /** A second node's broker on the same Redis and key prefix as {@link #broker}, listening to {@code channel}. */
    private RedisBroker secondNode(RecordingListener listener, String channel) throws Exception {
        RedisBroker other = RedisBroker.connect(new RedisBrokerConfig(REDIS).keyPrefix(prefixes.get(0)));
        other.listen(listener);
        await(other.subscribe(channel));
        return other;
    }

    @Test
    void twoNodesOnOneRedisShareOffsetsEpochPresenceAndLiveDelivery() throws Exception {
        RecordingListener seenByB = new RecordingListener();
        try (RedisBroker b = secondNode(seenByB, "room")) {
            Message fromA = await(broker.publish("room", "\"from a\"", null, OPTIONS));
            Message fromB = await(b.publish("room", "\"from b\"", "client-b", OPTIONS));
            await(broker.addPresence("room", new ClientInfo("c1", "ann", null)));

            assertThat(fromB.offset()).isEqualTo(fromA.offset() + 1);
            assertThat(fromB.epoch()).isEqualTo(fromA.epoch());
            seenByB.awaitCount(2);
            seenByB.awaitEvents(1);
            assertThat(seenByB.messages()).extracting(Message::position, Message::data, Message::origin).containsExactly(
                    tuple(fromA.position(), "\"from a\"", null), tuple(fromB.position(), "\"from b\"", "client-b"));
            assertThat(seenByB.presenceEvents()).containsExactly("join room c1");
            assertThat(await(b.history("room", null, 10)).messages()).extracting(Message::data)
                    .containsExactly("\"from a\"", "\"from b\"");
            assertThat(await(b.presence("room"))).containsExactly(new ClientInfo("c1", "ann", null));
        }
    }

    @Test
    void oneHolderOfManyHoldsALeaseUntilItStopsRenewingIt() throws Exception {
        Duration ttl = Duration.ofMillis(500);
        assertThat(await(broker.lease("ticker", "node-a", ttl))).as("the first taker").isTrue();
        assertThat(await(broker.lease("ticker", "node-b", ttl))).as("another node while it is held").isFalse();
        assertThat(await(broker.lease("ticker", "node-a", ttl))).as("the holder renews").isTrue();

        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        boolean taken = false;
        while (!taken && System.nanoTime() < deadline) {
            taken = await(broker.lease("ticker", "node-b", ttl));
            if (!taken) {
                Thread.sleep(50);
            }
        }
        assertThat(taken).as("node-b takes the lease once node-a stopped renewing").isTrue();
        assertThat(await(broker.lease("ticker", "node-a", ttl))).isFalse();
    }

    @Test
    void dataAndIdsWithNewlinesAndUnicodeTravelIntact() throws Exception {
        RecordingListener seen = new RecordingListener();
        try (RedisBroker b = secondNode(seen, "odd")) {
            String data = "{\"text\":\"line 1\\nline 2 \u00e9\u4e2d\ud83d\ude00\"}";
            ClientInfo odd = new ClientInfo("id\nwith:colon", "\u00e9l\u00e8ve\n", "{\"a\":\"-\"}");

            await(broker.publish("odd", data, "origin\n2", OPTIONS));
            await(broker.addPresence("odd", odd));

            seen.awaitCount(1);
            assertThat(seen.messages().get(0).data()).isEqualTo(data);
            assertThat(seen.messages().get(0).origin()).isEqualTo("origin\n2");
            assertThat(await(b.history("odd", null, 10)).messages().get(0).origin()).isEqualTo("origin\n2");
            assertThat(await(b.presence("odd"))).containsExactly(odd);
        }
    }
}
