package io.switchboard.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static io.switchboard.it.ExternalClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failures in the middle of a stream, on {@code switchboard serve} processes sharing a test-owned
 * Redis: a node killed with SIGKILL (its clients resume elsewhere, its presence entries expire),
 * Redis restarted without persistence, and Redis frozen with SIGSTOP for five seconds.
 */
class MultiNodeFailureTest {

    static final String CHANNEL = "failures";
    /** A presence entry lives 30 s unless its node refreshes it (every 10 s); the check runs every few seconds. */
    static final Duration PAUSE = Duration.ofSeconds(5);
    static final Duration PRESENCE_GONE_WITHIN = Duration.ofSeconds(45);

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
        // Each node reconnects to Redis on its own: node 2 may still answer 503 for a moment.
        Backend.Published last = publishOnceRedisIsBack(two, "\"after 2\"");
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

    @Test
    void everyPublicationAcknowledgedAroundARedisPausedForFiveSecondsReachesEverySubscriber() throws Exception {
        cluster = RedisNodes.start(2);
        Backend.Published first = cluster.backend(0).publish(CHANNEL, "0");
        ChannelSubscriber ws = cluster.add(ChannelSubscriber.webSocket(List.of(cluster.port(0)), CHANNEL, first.cursor()));
        ChannelSubscriber sse = cluster.add(ChannelSubscriber.eventStream(List.of(cluster.port(1)), CHANNEL, first.cursor()));
        Set<Long> acknowledged = new ConcurrentSkipListSet<>();
        List<String> refused = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> publishing = CompletableFuture.runAsync(() -> {
            for (int n = 1; !stop.get(); n++) {
                try {
                    HttpResponse<String> response = cluster.backend(n % 2).post("/api/publish",
                            "{\"channel\":\"" + CHANNEL + "\",\"data\":" + n + "}");
                    if (response.statusCode() == 200) {
                        acknowledged.add(JSON.readTree(response.body()).path("offset").asLong());
                    } else {
                        refused.add(response.statusCode() + " " + response.body());
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        });
        awaitAcknowledged(acknowledged, 20);

        cluster.redis.signal("STOP");
        Thread.sleep(PAUSE.toMillis()); // the pause under test, not a wait for something to happen
        cluster.redis.signal("CONT");
        awaitAcknowledged(acknowledged, acknowledged.size() + 20);
        stop.set(true);
        publishing.get(60, TimeUnit.SECONDS);

        assertThat(refused).as("publishes refused while Redis was paused").allSatisfy(r -> assertThat(r).startsWith("503 "));
        long last = Collections.max(acknowledged);
        for (ChannelSubscriber subscriber : List.of(ws, sse)) {
            subscriber.await("offset " + last + " on " + subscriber.name(), () -> subscriber.offsets().contains(last));
            assertThat(subscriber.offsets()).as("offsets delivered to %s", subscriber.name())
                    .isSorted().doesNotHaveDuplicates().containsAll(acknowledged);
            assertThat(subscriber.notRecovered).isEmpty();
        }
    }

    private static void awaitAcknowledged(Set<Long> acknowledged, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (acknowledged.size() < count) {
            assertThat(System.nanoTime()).as("%d publishes acknowledged within 30 s", count).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void theClientsOfAKilledNodeLeavePresenceWithinTheExpiryAndTheOthersAreToldTheyLeft() throws Exception {
        cluster = RedisNodes.start(2);
        JdkClient doomed = JdkClient.connect("ws://127.0.0.1:" + cluster.port(0) + "/ws");
        JdkClient observer = JdkClient.connect("ws://127.0.0.1:" + cluster.port(1) + "/ws");
        String doomedId = JSON.readTree(doomed.nextText()).path("connect").path("client").asText();
        String observerId = JSON.readTree(observer.nextText()).path("connect").path("client").asText();
        try {
            command(observer, "{\"id\":1,\"subscribe\":{\"channel\":\"" + CHANNEL + "\"}}");
            command(doomed, "{\"id\":1,\"subscribe\":{\"channel\":\"" + CHANNEL + "\"}}");
            assertThat(presence(observer)).containsExactly(observerId, doomedId);

            cluster.nodes.get(0).kill();
            long killed = System.nanoTime();
            List<String> present;
            do {
                Thread.sleep(500);
                present = presence(observer);
            } while (present.size() > 1 && System.nanoTime() - killed < PRESENCE_GONE_WITHIN.toNanos());

            assertThat(present).as("presence %s after the kill", Duration.ofNanos(System.nanoTime() - killed))
                    .containsExactly(observerId);
            assertThat(awaitLeave(observer)).as("the observer is told who left").isEqualTo(doomedId);
        } finally {
            observer.socket.abort();
            doomed.socket.abort();
        }
    }

    /** Sends {@code json} (a command with an id) and returns its reply; pushes that come first are kept in the client's pushes. */
    private static JsonNode command(JdkClient client, String json) throws Exception {
        JsonNode command = JSON.readTree(json);
        client.socket.sendText(json, true).get(5, TimeUnit.SECONDS);
        for (;;) {
            JsonNode message = JSON.readTree(nextText(client));
            if (message.path("id").asInt() == command.path("id").asInt()) {
                assertThat(message.has("error")).as("reply to %s: %s", json, message).isFalse();
                return message;
            }
            client.pushes.add(message);
        }
    }

    /** The client id of the first {@code leave} push, among those read past or the next ones (10 s each). */
    private static String awaitLeave(JdkClient client) throws Exception {
        for (JsonNode push : client.pushes) {
            if (push.has("leave")) {
                return push.path("leave").path("client").path("client").asText();
            }
        }
        for (;;) {
            JsonNode push = JSON.readTree(nextText(client));
            if (push.has("leave")) {
                return push.path("leave").path("client").path("client").asText();
            }
        }
    }

    /** The next text message, past the server's pings (the JDK answers them itself). */
    private static String nextText(JdkClient client) throws InterruptedException {
        for (;;) {
            JdkClient.Event event = client.next();
            if (event instanceof JdkClient.Text text) {
                return text.text();
            }
            assertThat(event).as("an event between messages").isInstanceOfAny(JdkClient.Ping.class, JdkClient.Pong.class);
        }
    }

    private int presenceRequests;

    /** The client ids the channel's presence lists, in join order. */
    private List<String> presence(JdkClient client) throws Exception {
        JsonNode reply = command(client, "{\"id\":" + (100 + presenceRequests++) + ",\"presence\":{\"channel\":\"" + CHANNEL + "\"}}");
        List<String> ids = new ArrayList<>();
        reply.path("presence").path("clients").forEach(c -> ids.add(c.path("client").asText()));
        return ids;
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
