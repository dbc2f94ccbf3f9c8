package io.switchboard.redis;

import io.switchboard.core.BrokerContractTest.RecordingListener;
import io.switchboard.core.BrokerUnavailableException;
import io.switchboard.core.HistoryResult;
import io.switchboard.core.Message;
import io.switchboard.core.PublishOptions;
import io.switchboard.core.StreamPosition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the Redis broker does when Redis goes away: a test-owned {@code redis-server} without
 * persistence is killed and started again on the same port.
 */
class RedisOutageTest {

    private static final PublishOptions OPTIONS = new PublishOptions(100, Duration.ofHours(1));

    private RedisServer redis;
    private RedisBroker broker;

    @BeforeEach
    void startRedis() throws Exception {
        redis = RedisServer.start();
        broker = connect();
    }

    @AfterEach
    void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
        redis.close();
    }

    private RedisBroker connect() {
        return RedisBroker.connect(new RedisBrokerConfig(redis.uri()).commandTimeout(Duration.ofSeconds(2)));
    }

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Publishes until Redis accepts again (the broker has reconnected). */
    private static Message publishOnceBack(RedisBroker broker, String channel, String data) throws Exception {
        return OnceAvailable.await(() -> broker.publish(channel, data, null, OPTIONS));
    }

    @Test
    void aRedisRestartedWithoutPersistenceStartsTheChannelInANewEpoch() throws Exception {
        await(broker.publish("a", "1", null, OPTIONS));
        Message before = await(broker.publish("a", "2", null, OPTIONS));

        redis.kill();
        redis.restart();
        Message after = publishOnceBack(broker, "a", "3");
        HistoryResult fromOldCursor = await(broker.history("a", before.position(), 10));

        assertThat(after.offset()).isEqualTo(1);
        assertThat(after.epoch()).isNotEqualTo(before.epoch());
        assertThat(fromOldCursor.complete()).as("history before the restart is gone").isFalse();
        assertThat(fromOldCursor.position()).isEqualTo(after.position());
    }

    @Test
    void aNodeRestartKeepsTheEpochRedisHolds() throws Exception {
        Message before = await(broker.publish("a", "1", null, OPTIONS));
        broker.close();

        broker = connect();
        Message after = await(broker.publish("a", "2", null, OPTIONS));

        assertThat(after.position()).isEqualTo(new StreamPosition(2, before.epoch()));
    }

    @Test
    void publishingWhileRedisIsDownFailsFastWithBrokerUnavailable() throws Exception {
        await(broker.publish("a", "1", null, OPTIONS));

        redis.kill();

        for (int attempt = 0; attempt < 5; attempt++) {
            long started = System.nanoTime();
            assertThatThrownBy(() -> await(broker.publish("a", "2", null, OPTIONS)))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(BrokerUnavailableException.class)
                    .hasMessageContaining("Redis at 127.0.0.1:" + redis.port());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("time to fail").isLessThan(Duration.ofSeconds(1));
        }
    }

    @Test
    void afterRedisReturnsTheBrokerResubscribesAndLiveDeliveryResumes() throws Exception {
        RecordingListener listener = new RecordingListener();
        broker.listen(listener);
        await(broker.subscribe("a"));
        try (RedisBroker publisher = connect()) {
            await(publisher.publish("a", "\"before\"", null, OPTIONS));
            listener.awaitCount(1);

            redis.kill();
            redis.restart();
            // Pub/sub is at-most-once: what is published before the subscriber is back is missed
            // (the hub fills it from history); publish until one arrives live.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            Message sent;
            do {
                sent = publishOnceBack(publisher, "a", "\"after\"");
                Thread.sleep(100);
            } while (!arrived(listener, sent) && System.nanoTime() < deadline);

            assertThat(arrived(listener, sent)).as("a publication after the restart arrived live").isTrue();
        }
    }

    private static boolean arrived(RecordingListener listener, Message sent) {
        return listener.messages().stream().anyMatch(m -> m.position().equals(sent.position()));
    }

    @Test
    void connectingToARedisThatIsNotThereFailsWithBrokerUnavailable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        assertThatThrownBy(() -> RedisBroker.connect("redis://127.0.0.1:" + closedPort))
                .isInstanceOf(BrokerUnavailableException.class)
                .hasMessageContaining("cannot connect to Redis at 127.0.0.1:" + closedPort);
    }
}
