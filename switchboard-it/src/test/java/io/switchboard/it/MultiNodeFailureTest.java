package io.switchboard.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static io.switchboard.it.ExternalClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failures in the middle of a stream, on {@code switchboard serve} processes sharing a test-owned
 * Redis: a node killed with SIGKILL, and Redis restarted without persistence.
 */
class MultiNodeFailureTest {

    static final String CHANNEL = "failures";

    RedisNodes cluster;

    @AfterEach
    void stopEverything() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void webSocketSseAndPollClientsOfANodeKilledMidStreamResumeOnAnotherNodeAndGetEveryPublicationOnce() throws Exception {
        cluster = RedisNodes.start(3);
        int doomed = cluster.port(0);
        Backend publisher = cluster.backend(2);
        Backend.Published first = publisher.publish(CHANNEL, "0");
        ChannelSubscriber ws = cluster.add(ChannelSubscriber.webSocket(List.of(doomed, cluster.port(1)), CHANNEL, first.cursor()));
        ChannelSubscriber sse = cluster.add(ChannelSubscriber.eventStream(List.of(doomed, cluster.port(2)), CHANNEL, first.cursor()));
        ChannelSubscriber poll = cluster.add(ChannelSubscriber.longPoll(List.of(doomed, cluster.port(1)), CHANNEL, first.cursor()));

        int total = 200;
        AtomicInteger published = new AtomicInteger();
        CompletableFuture<Void> stream = CompletableFuture.runAsync(() -> {
            for (int n = 1; n <= total; n++) {
                publish(publisher, Integer.toString(n));
                published.set(n);
            }
        });
        ws.awaitDeliveries(40);
        sse.awaitDeliveries(40);
        poll.awaitDeliveries(40);
        cluster.nodes.get(0).kill();
        int publishedAtKill = published.get();
        stream.get(60, TimeUnit.SECONDS);

        assertThat(publishedAtKill).as("the kill came in the middle of the stream").isLessThan(total);
        List<Long> expected = LongStream.rangeClosed(2, total + 1).boxed().toList();
        for (ChannelSubscriber subscriber : List.of(ws, sse, poll)) {
            subscriber.awaitDeliveries(expected.size());
            assertThat(subscriber.connectedTo).as("%s's connections", subscriber.name())
                    .containsExactly(doomed, subscriber == sse ? cluster.port(2) : cluster.port(1));
            assertThat(subscriber.offsets()).as("offsets delivered to %s", subscriber.name()).isEqualTo(expected);
            assertThat(subscriber.deliveries).allSatisfy(d -> assertThat(d.data().asLong()).isEqualTo(d.offset() - 1));
            assertThat(subscriber.notRecovered).isEmpty();
        }
    }

    @Test
    void aRedisRestartWithoutPersistenceFailsPublishesClearlyThenSubscribersGoOnInTheNewEpoch() throws Exception {
        cluster = RedisNodes.start(2);
        Backend one = cluster.backend(0);
        Backend two = cluster.backend(1);
        Backend.Published first = one.publish(CHANNEL, "\"before 1\"");
        ChannelSubscriber ws = cluster.add(ChannelSubscriber.webSocket(List.of(cluster.port(0)), CHANNEL, first.cursor()));
        ChannelSubscriber sse = cluster.add(ChannelSubscriber.eventStream(List.of(cluster.port(1)), CHANNEL, first.cursor()));
        two.publish(CHANNEL, "\"before 2\"");
        ws.awaitDeliveries(1);
        sse.awaitDeliveries(1);

        cluster.redis.kill();
        for (Backend node : List.of(one, two)) {
            HttpResponse<String> refused = node.post("/api/publish", "{\"channel\":\"" + CHANNEL + "\",\"data\":\"during\"}");
            assertThat(refused.statusCode()).as("POST /api/publish while Redis is down: %s", refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
            assertThat(JSON.readTree(refused.body()).path("error").path("name").asText()).isEqualTo("unavailable");
        }
        cluster.redis.restart();

        Backend.Published after = publishOnceRedisIsBack(one, "\"after 1\"");
        assertThat(after.epoch()).as("Redis lost the stream: a new epoch").isNotEqualTo(first.epoch());
        Backend.Published last = two.publish(CHANNEL, "\"after 2\"");
        for (ChannelSubscriber subscriber : List.of(ws, sse)) {
            subscriber.await("a publication of the new epoch on " + subscriber.name(),
                    () -> subscriber.deliveries.stream().anyMatch(d -> d.cursor().equals(last.cursor())));
            assertThat(subscriber.notRecovered).as("%s was told the stream was lost", subscriber.name())
                    .isNotEmpty()
                    .allSatisfy(notice -> assertThat(notice.path("epoch").asText()).isEqualTo(after.epoch()));
            JsonNode told = subscriber.notRecovered.get(0);
            List<Delivery> inNewEpoch = subscriber.deliveries.stream().filter(d -> d.epoch().equals(after.epoch())).toList();
            assertThat(inNewEpoch).extracting(Delivery::offset).as("%s's publications of the new epoch", subscriber.name())
                    .containsExactlyElementsOf(LongStream.rangeClosed(told.path("offset").asLong() + 1, last.offset()).boxed().toList());
            assertThat(subscriber.connectedTo).as("%s stayed connected", subscriber.name()).hasSize(1);
        }
        for (ServeProcess node : cluster.nodes) {
            assertThat(node.isAlive()).as("node on port %d runs on", node.port()).isTrue();
        }
    }

    /** Publishes until the node's broker has reconnected to Redis (503 until then), within 20 s. */
    private static Backend.Published publishOnceRedisIsBack(Backend node, String data) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        for (;;) {
            HttpResponse<String> response = node.post("/api/publish", "{\"channel\":\"" + CHANNEL + "\",\"data\":" + data + "}");
            if (response.statusCode() == 200) {
                JsonNode reply = JSON.readTree(response.body());
                return new Backend.Published(reply.path("offset").asLong(), reply.path("epoch").asText());
            }
            assertThat(response.statusCode()).as("publish while Redis comes back: %s", response.body()).isEqualTo(503);
            assertThat(System.nanoTime()).as("Redis accepted publishes again within 20 s").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static void publish(Backend backend, String data) {
        try {
            backend.publish(CHANNEL, data);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
