package io.switchboard.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static io.switchboard.it.ExternalClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three {@code switchboard serve} processes on one test-owned Redis: a {@code /ws} subscriber on
 * node 1, an SSE subscriber on node 2 and a long poll on node 3, while every node publishes at once.
 */
class MultiNodeDeliveryTest {

    static final String CHANNEL = "three-nodes";
    static final int PER_NODE = 100;

    RedisNodes cluster;

    @BeforeEach
    void startRedisAndThreeNodes() throws Exception {
        cluster = RedisNodes.start(3);
    }

    @AfterEach
    void stopEverything() throws Exception {
        cluster.close();
    }

    @Test
    void everySubscriberOnEveryTransportGetsEveryPublicationOfEveryNodeOnceInOffsetOrder() throws Exception {
        Backend.Published first = cluster.backend(0).publish(CHANNEL, "\"before the subscribers\"");
        ChannelSubscriber ws = cluster.add(ChannelSubscriber.webSocket(List.of(cluster.port(0)), CHANNEL, first.cursor()));
        ChannelSubscriber sse = cluster.add(ChannelSubscriber.eventStream(List.of(cluster.port(1)), CHANNEL, first.cursor()));
        ChannelSubscriber poll = cluster.add(ChannelSubscriber.longPoll(List.of(cluster.port(2)), CHANNEL, first.cursor()));

        Map<Long, String> acknowledged = new ConcurrentHashMap<>();
        ExecutorService publishers = Executors.newFixedThreadPool(3);
        try {
            List<CompletableFuture<Void>> publishing = new ArrayList<>();
            for (int node = 0; node < 3; node++) {
                Backend backend = cluster.backend(node);
                String from = "node " + (node + 1);
                publishing.add(CompletableFuture.runAsync(() -> {
                    for (int n = 1; n <= PER_NODE; n++) {
                        String data = "{\"from\":\"" + from + "\",\"n\":" + n + "}";
                        acknowledged.put(publish(backend, data).offset(), data);
                    }
                }, publishers));
            }
            CompletableFuture.allOf(publishing.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        } finally {
            publishers.shutdownNow();
        }

        List<Long> expected = LongStream.rangeClosed(2, 3 * PER_NODE + 1).boxed().toList();
        assertThat(acknowledged.keySet()).as("offsets acknowledged to the publishers").containsExactlyInAnyOrderElementsOf(expected);
        for (ChannelSubscriber subscriber : List.of(ws, sse, poll)) {
            subscriber.awaitDeliveries(expected.size());
            assertThat(subscriber.offsets()).as("offsets delivered to %s", subscriber.name()).isEqualTo(expected);
            for (Delivery delivery : subscriber.deliveries) {
                assertThat(delivery.epoch()).isEqualTo(first.epoch());
                assertThat(delivery.data()).as("data at offset %d", delivery.offset())
                        .isEqualTo(JSON.readTree(acknowledged.get(delivery.offset())));
            }
            assertThat(subscriber.notRecovered).isEmpty();
        }
    }

    private static Backend.Published publish(Backend backend, String data) {
        try {
            return backend.publish(CHANNEL, data);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
