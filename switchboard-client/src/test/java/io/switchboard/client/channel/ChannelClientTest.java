package io.switchboard.client.channel;

import io.switchboard.client.Backoff;
import io.switchboard.client.LocalServer;
import io.switchboard.client.Relay;
import io.switchboard.core.StreamPosition;
import io.switchboard.websocket.ReadyState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChannelClientTest {

    static final Backoff BACKOFF = Backoff.exponential(Duration.ofMillis(20), Duration.ofMillis(200), 2.0);

    @RegisterExtension
    static final LocalServer local = new LocalServer();



    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(10, TimeUnit.SECONDS);
    }

    static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void subscribePublishHistoryAndPresence() throws Exception {
        try (ChannelClient alice = ChannelClient.connect(local.client(), local.uri("ws", "/ws"), BACKOFF,
                () -> local.token("alice", Duration.ofMinutes(5)))) {
            List<Publication> received = new CopyOnWriteArrayList<>();
            Subscription news = await(alice.subscribe("news", received::add, null));
            assertThat(alice.readyState()).isEqualTo(ReadyState.OPEN);
            assertThat(alice.clientId()).isNotBlank();

            StreamPosition position = await(alice.publish("news", "{\"title\":\"Hello\",\"price\":142.50}"));

            assertThat(position.offset()).isEqualTo(1);
            waitUntil("the publication arrives", () -> received.size() == 1);
            assertThat(received.get(0)).isEqualTo(new Publication("news", 1, position.epoch(), "{\"title\":\"Hello\",\"price\":142.50}"));
            assertThat(news.cursor()).isEqualTo(position.toString());

            History history = await(alice.history("news", null, 10));
            assertThat(history.publications()).containsExactly(received.get(0));
            assertThat(history.position()).isEqualTo(position);

            assertThat(await(alice.presence("news"))).containsExactly(new Member(alice.clientId(), "alice"));

            // Presence is for subscribers: once alice left, bob (still subscribed) sees her gone, and she may not ask.
            try (ChannelClient bob = ChannelClient.connect(local.client(), local.uri("ws", "/ws"), BACKOFF,
                    () -> local.token("bob", Duration.ofMinutes(5)))) {
                await(bob.subscribe("news", p -> { }, null));
                await(news.unsubscribe());
                waitUntil("alice left the presence", () -> {
                    try {
                        return await(bob.presence("news")).equals(List.of(new Member(bob.clientId(), "bob")));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
            assertThatThrownBy(() -> alice.presence("news").get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .satisfies(e -> assertThat(((ChannelException) e.getCause()).code()).isEqualTo(109));
        }
    }

    @Test
    void refusedCommandsFailTheirFuturesWithTheErrorCodeAndName() throws Exception {
        try (ChannelClient client = ChannelClient.connect(local.client(), local.uri("ws", "/ws"), BACKOFF)) {
            ExecutionException badChannel = (ExecutionException) catchThrowable(client.subscribe("news feed", p -> { }, null));
            assertThat(((ChannelException) badChannel.getCause()).code()).isEqualTo(104);
            assertThat(((ChannelException) badChannel.getCause()).name()).isEqualTo("bad_channel");

            ExecutionException badCursor = (ExecutionException) catchThrowable(client.history("news", "seven", 10));
            assertThat(((ChannelException) badCursor.getCause()).code()).isEqualTo(105);
            assertThat(((ChannelException) badCursor.getCause()).name()).isEqualTo("bad_cursor");

            assertThat(catchThrowable(client.publish("news", "{not json"))).hasCauseInstanceOf(IllegalArgumentException.class);
            assertThat(await(client.publish("refused", "[1]")).offset()).isEqualTo(1); // the connection is still fine
        }
    }

    @Test
    void commandsWhileDisconnectedFailButSubscriptionsWait() throws Exception {
        try (Relay relay = new Relay(local.server().port())) {
            relay.refuse(true);
            ChannelClient client = ChannelClient.connect(local.client(), LocalServer.uri("ws", relay.port(), "/ws"), BACKOFF);
            assertThat(client.readyState()).isEqualTo(ReadyState.CONNECTING);
            assertThat(catchThrowable(client.publish("waiting", "1"))).hasCauseInstanceOf(IllegalStateException.class);
            List<Publication> received = new CopyOnWriteArrayList<>();
            CompletableFuture<Subscription> subscribed = client.subscribe("waiting", received::add, null);
            assertThat(subscribed).isNotDone();

            relay.refuse(false);
            await(subscribed);
            local.publish("waiting", "\"hello\"");
            waitUntil("the publication arrives", () -> received.size() == 1);
            assertThat(received.get(0).data()).isEqualTo("\"hello\"");

            client.close();
            waitUntil("closed", () -> client.readyState() == ReadyState.CLOSED);
            assertThat(catchThrowable(client.presence("waiting"))).hasCauseInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void forcedDisconnectsLoseNothingAndDuplicateNothing() throws Exception {
        int total = 600;
        try (Relay relay = new Relay(local.server().port());
             ChannelClient client = ChannelClient.connect(local.client(), LocalServer.uri("ws", relay.port(), "/ws"), BACKOFF)) {
            List<Publication> received = new CopyOnWriteArrayList<>();
            Subscription subscription = await(client.subscribe("ticks", received::add, null));

            publish(1, 100);
            waitUntil("100 delivered", () -> received.size() == 100);

            // Down: what is published now can only arrive by recovery from the cursor.
            relay.refuse(true);
            relay.cut();
            waitUntil("disconnected", () -> client.readyState() == ReadyState.CONNECTING);
            publish(101, 200);
            relay.refuse(false);
            waitUntil("200 delivered", () -> received.size() >= 200);

            // A cut while publications are flowing: the seam between replay and live has no gap or duplicate.
            CompletableFuture<Void> publisher = CompletableFuture.runAsync(() -> publish(201, total));
            waitUntil("300 delivered", () -> received.size() >= 300 || publisher.isDone());
            relay.cut();
            await(publisher);
            waitUntil("all delivered", () -> received.size() >= total);

            List<String> data = new ArrayList<>();
            for (Publication publication : received) {
                data.add(publication.data());
            }
            List<String> expected = new ArrayList<>();
            for (int n = 1; n <= total; n++) {
                expected.add("{\"n\":" + n + "}");
            }
            assertThat(data).containsExactlyElementsOf(expected);
            assertThat(received).extracting(Publication::offset).doesNotHaveDuplicates().isSorted();
            assertThat(relay.arrivals()).hasSizeGreaterThanOrEqualTo(3);
            assertThat(subscription.recovered()).isTrue();
            assertThat(subscription.cursor()).isEqualTo(received.get(total - 1).cursor());
        }
    }

    private static void publish(int from, int to) {
        try {
            for (int n = from; n <= to; n++) {
                local.publish("ticks", "{\"n\":" + n + "}");
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Throwable catchThrowable(CompletableFuture<?> future) {
        assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        try {
            future.get();
            throw new AssertionError("not failed");
        } catch (ExecutionException e) {
            return e;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void refreshesItsTokenBeforeExpirySoTheConnectionOutlivesIt() throws Exception {
        java.util.concurrent.atomic.AtomicInteger supplied = new java.util.concurrent.atomic.AtomicInteger();
        try (ChannelClient alice = ChannelClient.connect(local.client(), local.uri("ws", "/ws"), BACKOFF, () -> {
            supplied.incrementAndGet();
            return local.token("alice", Duration.ofSeconds(3));
        })) {
            await(alice.subscribe("refreshed", p -> { }, null));
            String firstConnection = alice.clientId();

            // Wait past the first token's expiry; the server would close an unrefreshed connection with 3000.
            java.time.Instant pastFirstExpiry = java.time.Instant.now().plusSeconds(5);
            waitUntil("two refreshes were sent", () -> supplied.get() >= 3);
            while (java.time.Instant.now().isBefore(pastFirstExpiry)) {
                Thread.sleep(50);
            }

            assertThat(alice.readyState()).isEqualTo(ReadyState.OPEN);
            assertThat(alice.clientId()).as("the same connection, never reconnected").isEqualTo(firstConnection);
            assertThat(await(alice.presence("refreshed"))).containsExactly(new Member(firstConnection, "alice"));
        }
    }
}
