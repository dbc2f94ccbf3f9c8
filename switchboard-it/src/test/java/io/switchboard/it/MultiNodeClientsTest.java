package io.switchboard.it;

import io.switchboard.client.Backoff;
import io.switchboard.client.ClientConfig;
import io.switchboard.client.EventSource;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.client.channel.ChannelClient;
import io.switchboard.client.channel.Publication;
import io.switchboard.client.channel.Subscription;
import io.switchboard.websocket.ReadyState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's own clients across a node killed with SIGKILL in the middle of a stream: the Java
 * client's {@code ChannelClient} ({@code /ws}) and {@code EventSource} ({@code /sse}), and
 * {@code /switchboard.js} in headless Chromium over WebSocket, SSE and long polling. They reach three
 * {@code switchboard serve} processes on one test-owned Redis only through nginx (docs/scaling.md's
 * configuration: round robin, no sticky sessions). The node holding the client is found from the
 * nodes' {@code /metrics} and killed while a backend goes on publishing through another node; the
 * client must come back through nginx to a live node and hand the application every acknowledged
 * publication once, in offset order. The next test starts the killed node again on its port.
 */
class MultiNodeClientsTest {

    /** The channel of switchboard-client.html; every client here subscribes to it. */
    static final String CHANNEL = "news";
    /** Publications the client gets before its node is killed, and after it is back. */
    static final int BEFORE_KILL = 20;
    static final int AFTER_RECONNECT = 20;
    static final Duration DEADLINE = Duration.ofSeconds(30);
    static final Backoff BACKOFF = Backoff.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0);

    @TempDir
    static Path certDir;
    static RedisNodes cluster;
    static Nginx nginx;
    SteadyPublisher publisher;
    SwitchboardClient client;
    Browser browser;
    /** The publication each test starts from: its client subscribes from its cursor, so it is owed everything after it. */
    Backend.Published start;

    @BeforeAll
    static void startNodesBehindNginx() throws Exception {
        cluster = RedisNodes.start(3);
        nginx = cluster.behindNginx(certDir);
    }

    @AfterAll
    static void stopNginxAndNodes() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Every node runs (the one the last test killed again, on its port) and holds no subscriber. */
    @BeforeEach
    void everyNodeRunsAndHoldsNoClient() throws Exception {
        for (int node = 0; node < cluster.nodes.size(); node++) {
            cluster.restartIfDown(node);
        }
        await("no node holds a subscriber of an earlier test", () -> nodesWithASubscriber().isEmpty());
        start = cluster.backend(0).publish(CHANNEL, "{\"n\":0}");
    }

    @AfterEach
    void stopTheClients() throws Exception {
        if (publisher != null) {
            publisher.stop();
        }
        if (client != null) {
            client.close();
        }
        if (browser != null) {
            browser.close();
        }
    }

    // ---------------------------------------------------------------- the Java client

    @Test
    void theJavaChannelClientOfAKilledNodeReconnectsThroughNginxAndGetsEveryPublicationOnceInOrder() throws Exception {
        client = new SwitchboardClient(javaClientConfig());
        ChannelClient channels = ChannelClient.connect(client, URI.create("wss://localhost:" + nginx.port + "/ws"), BACKOFF);
        List<Publication> received = new CopyOnWriteArrayList<>();
        Subscription subscription = channels.subscribe(CHANNEL, received::add, start.cursor()).get(20, TimeUnit.SECONDS);
        String firstClientId = channels.clientId();

        int killed = streamAcrossTheKillOfItsNode(received::size, false);

        assertThat(received).extracting(Publication::offset).as("offsets the handler got")
                .containsExactlyElementsOf(publisher.offsets());
        assertThat(received).extracting(Publication::data).as("data the handler got")
                .containsExactlyElementsOf(publisher.data());
        assertThat(awaitNodeHoldingTheClient()).as("the node the client is on now").isNotEqualTo(killed);
        assertThat(channels.readyState()).isEqualTo(ReadyState.OPEN);
        assertThat(channels.clientId()).as("the server's id of the new connection").isNotEqualTo(firstClientId);
        assertThat(subscription.recovered()).as("the resubscription recovered everything after its cursor").isTrue();
        assertThat(subscription.cursor()).isEqualTo(publisher.last().cursor());
    }

    @Test
    void theJavaEventSourceOfAKilledNodeReconnectsThroughNginxAndGetsEveryPublicationOnceInOrder() throws Exception {
        client = new SwitchboardClient(javaClientConfig());
        List<EventSource.Event> received = new CopyOnWriteArrayList<>();
        AtomicInteger opens = new AtomicInteger();
        client.eventSource(URI.create("https://localhost:" + nginx.port + "/sse?channel=" + CHANNEL + "&since=" + encode(start.cursor())),
                new EventSource.Listener() {
                    @Override
                    public void onOpen(EventSource source) {
                        opens.incrementAndGet();
                    }

                    @Override
                    public void onMessage(EventSource source, EventSource.Event event) {
                        if (event.type().equals(CHANNEL)) {
                            received.add(event);
                        }
                    }
                });
        await("the event stream is open", () -> opens.get() == 1);

        int killed = streamAcrossTheKillOfItsNode(received::size, false);

        assertThat(received).extracting(EventSource.Event::lastEventId).as("each event's id: the cursor after it")
                .containsExactlyElementsOf(publisher.cursors());
        assertThat(received).extracting(EventSource.Event::data).as("data of the events")
                .containsExactlyElementsOf(publisher.data());
        assertThat(opens).as("streams opened: the first and the one after the kill").hasValue(2);
        assertThat(awaitNodeHoldingTheClient()).as("the node the stream is on now").isNotEqualTo(killed);
    }

    private ClientConfig javaClientConfig() {
        // nginx serves the test's certificate, valid for localhost too.
        return new ClientConfig().trustedCertificates(certDir.resolve("example.com.crt"));
    }

    // ---------------------------------------------------------------- switchboard.js in Chromium

    @Test
    void switchboardJsOverWebSocketReconnectsThroughNginxWhenItsNodeIsKilledAndGetsEveryPublicationOnceInOrder() throws Exception {
        pageGetsEveryPublicationOnceAcrossTheKillOfItsNode("", "return recorded.subscribed.length === 1", "websocket", false);

        assertThat(browser.<List<String>>js("return recorded.states")).as("the page's connection states")
                .containsExactly("open", "connecting", "open");
        assertThat(browser.<List<Boolean>>js("return recorded.subscribed.map((s) => s.recovered)"))
                .as("recovered, per subscribe").containsExactly(true, true);
    }

    @Test
    void switchboardJsOverServerSentEventsResumesThroughNginxWhenItsNodeIsKilledAndGetsEveryPublicationOnceInOrder() throws Exception {
        // The browser's EventSource reconnects by itself, with Last-Event-ID.
        pageGetsEveryPublicationOnceAcrossTheKillOfItsNode("&without=WebSocket", "return recorded.states.includes('open')", "sse", false);
    }

    @Test
    void switchboardJsOverLongPollingGoesOnThroughNginxWhenTheNodeHoldingItsPollIsKilledAndGetsEveryPublicationOnceInOrder() throws Exception {
        // The poll waiting on the killed node is passed on to the next node by nginx (proxy_next_upstream
        // error, docs/scaling.md), or fails and the page polls again: either way from the page's cursor.
        pageGetsEveryPublicationOnceAcrossTheKillOfItsNode("&without=WebSocket,EventSource",
                "return recorded.transports.includes('poll')", "poll", true);
    }

    /**
     * Opens switchboard-client.html from nginx (so the page's origin is the load balancer), subscribed
     * from {@link #start} over {@code transport} (the others taken away by {@code without}), waits until
     * {@code ready} is true, streams across the kill of its node and checks that the page's handler got
     * every acknowledged publication once, in order, and that a live node holds the page's connection.
     */
    private void pageGetsEveryPublicationOnceAcrossTheKillOfItsNode(String without, String ready, String transport,
                                                                  boolean pollsMove) throws Exception {
        browser = Browser.mappingExampleComTo(nginx.port);
        browser.driver.get("https://example.com/switchboard-client.html?since=" + encode(start.cursor()) + without);
        browser.awaitTrue(ready);

        int killed = streamAcrossTheKillOfItsNode(() -> browser.<Long>js("return recorded.pubs.length").intValue(), pollsMove);

        assertThat(browser.<List<Long>>js("return recorded.pubs")).as("offsets the page's handler got")
                .containsExactlyElementsOf(publisher.offsets());
        List<Map<String, Object>> shown = browser.js("return recorded.messages");
        assertThat(shown).extracting(m -> m.get("message")).as("data the page's handler got")
                .containsExactlyElementsOf(publisher.data());
        assertThat(browser.<List<String>>js("return recorded.transports")).containsExactly(transport);
        assertThat(awaitNodeHoldingTheClient()).as("the node holding the page's %s now", transport).isNotEqualTo(killed);
    }

    // ---------------------------------------------------------------- the stream and the kill

    /**
     * Publishes through a node other than the client's, kills the client's node once it has
     * received {@link #BEFORE_KILL} publications, goes on until it has received
     * {@link #AFTER_RECONNECT} more than were published before the kill (so it is back), stops and
     * waits until it has as many as were acknowledged. Returns the index of the killed node.
     *
     * <p>A WebSocket or event stream stays on its node, so it is killed while the publisher runs. A
     * long poll holds a node only until it is answered, and nginx sends the next one to the next
     * node: for {@code pollsMove} the publisher pauses until the page's poll waits for more, the node
     * holding it is killed, and the publisher goes on.
     */
    private int streamAcrossTheKillOfItsNode(Supplier<Integer> delivered, boolean pollsMove) throws Exception {
        int holding = awaitNodeHoldingTheClient();
        publisher = new SteadyPublisher(cluster.backend(otherThan(holding)));
        await(BEFORE_KILL + " publications delivered", () -> delivered.get() >= BEFORE_KILL);
        if (pollsMove) {
            publisher.pause();
            await("every acknowledged publication delivered", () -> delivered.get() >= publisher.acknowledgedCount());
            holding = awaitNodeHoldingTheClient();
            publisher.through(cluster.backend(otherThan(holding)));
        } else {
            assertThat(awaitNodeHoldingTheClient()).as("the client's node while the stream runs").isEqualTo(holding);
        }

        cluster.nodes.get(holding).kill();
        int publishedAtKill = publisher.acknowledgedCount();
        publisher.resume();

        await(AFTER_RECONNECT + " publications after the kill delivered",
                () -> delivered.get() >= publishedAtKill + AFTER_RECONNECT);
        publisher.stop();
        assertThat(publisher.failures).as("publishes through a live node that failed").isEmpty();
        await("every acknowledged publication delivered (" + publisher.acknowledgedCount() + ")",
                () -> delivered.get() >= publisher.acknowledgedCount());
        assertThat(publishedAtKill).as("publications acknowledged when the node was killed")
                .isGreaterThanOrEqualTo(BEFORE_KILL).isLessThan(publisher.acknowledgedCount());
        return holding;
    }

    /** A live node other than {@code node}. */
    private int otherThan(int node) {
        for (int other = (node + 1) % 3; other != node; other = (other + 1) % 3) {
            if (cluster.nodes.get(other).isAlive()) {
                return other;
            }
        }
        throw new AssertionError("no live node besides node " + (node + 1));
    }

    /**
     * The one live node with a subscriber (the client's connection, stream or waiting poll: nothing
     * else subscribes here), from the nodes' {@code GET /metrics}; waits until there is exactly one.
     */
    private int awaitNodeHoldingTheClient() throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        for (;;) {
            List<Integer> holding = nodesWithASubscriber();
            if (holding.size() == 1) {
                return holding.get(0);
            }
            assertThat(System.nanoTime()).as("one live node holds the client; nodes with a subscriber now: %s", holding)
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** The live nodes whose {@code GET /metrics} count a subscriber. */
    private static List<Integer> nodesWithASubscriber() {
        List<Integer> holding = new ArrayList<>();
        for (int node = 0; node < cluster.nodes.size(); node++) {
            try {
                if (cluster.nodes.get(node).isAlive() && cluster.metric(node, "switchboard_subscribers", "") > 0) {
                    holding.add(node);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return holding;
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + (browser == null ? "" : "; the page recorded " + browser.recorded()));
            }
            Thread.sleep(10);
        }
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /**
     * A backend publishing {@code {"n":1}}, {@code {"n":2}}… to {@link #CHANNEL} through one node, one
     * every few milliseconds, on a thread of its own until stopped; it keeps what each publish was
     * acknowledged with.
     */
    static final class SteadyPublisher {

        /** Between publishes: a steady stream, not a flood that outruns the history a reconnect replays. */
        static final long PACE_MILLIS = 10;

        final List<Backend.Published> acknowledged = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();
        private final Thread thread;
        private volatile Backend through;
        private volatile boolean stopped;
        // Guarded by this.
        private boolean paused;
        private boolean publishing;

        SteadyPublisher(Backend through) {
            this.through = through;
            this.thread = new Thread(this::run, "steady-publisher");
            thread.setDaemon(true);
            thread.start();
        }

        /** Publishes through {@code backend} from now on. */
        void through(Backend backend) {
            through = backend;
        }

        /** Returns once no publish is in flight and none will start until {@link #resume()}. */
        synchronized void pause() throws InterruptedException {
            paused = true;
            while (publishing) {
                wait();
            }
        }

        synchronized void resume() {
            paused = false;
            notifyAll();
        }

        int acknowledgedCount() {
            return acknowledged.size();
        }

        Backend.Published last() {
            return acknowledged.get(acknowledged.size() - 1);
        }

        List<Long> offsets() {
            return acknowledged.stream().map(Backend.Published::offset).toList();
        }

        List<String> cursors() {
            return acknowledged.stream().map(Backend.Published::cursor).toList();
        }

        /** What was published, as JSON text, in the order acknowledged. */
        List<String> data() {
            List<String> data = new ArrayList<>();
            for (int n = 1; n <= acknowledged.size(); n++) {
                data.add("{\"n\":" + n + "}");
            }
            return data;
        }

        private void run() {
            for (int n = 1; !stopped; n++) {
                try {
                    synchronized (this) {
                        while (paused && !stopped) {
                            wait();
                        }
                        publishing = true;
                    }
                    try {
                        acknowledged.add(through.publish(CHANNEL, "{\"n\":" + n + "}"));
                    } finally {
                        synchronized (this) {
                            publishing = false;
                            notifyAll();
                        }
                    }
                    Thread.sleep(PACE_MILLIS);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception | AssertionError e) {
                    failures.add("publish " + n + ": " + e);
                    return;
                }
            }
        }

        /** Stops publishing after the publish in flight. */
        void stop() throws InterruptedException {
            stopped = true;
            synchronized (this) {
                notifyAll();
            }
            thread.join(TimeUnit.SECONDS.toMillis(35));
        }
    }
}
