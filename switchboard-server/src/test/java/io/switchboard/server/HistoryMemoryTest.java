package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.HubConfig;
import io.switchboard.core.MemoryBroker;
import io.switchboard.core.Message;
import io.switchboard.server.http.HttpResponses;
import io.switchboard.testkit.HttpResponse;
import io.switchboard.testkit.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static io.switchboard.server.HeapMeter.mib;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The probe's memory findings, measured in this process (where the server runs): one client
 * publishing far more history than the budget, and many {@code since=0} polls of a large channel.
 */
class HistoryMemoryTest {

    private static final long MIB = 1024 * 1024;

    private final AtomicReference<MemoryBroker> broker = new AtomicReference<>();
    private TestServer http;

    @AfterEach
    void stop() {
        if (http != null) {
            http.close();
        }
    }

    /** A server whose (in-memory) broker the test can read. */
    private TestServer start(ServerConfig config) {
        http = new TestServer(config.broker(hub -> {
            MemoryBroker made = new MemoryBroker(hub);
            broker.set(made);
            return made;
        }));
        return http;
    }

    @Test
    void theDefaultHistoryBudgetIsAQuarterOfTheHeap() {
        start(TestServer.config());

        long quarter = Runtime.getRuntime().maxMemory() / 4;
        assertThat(new ServerConfig().hub().effectiveHistoryBudget()).isEqualTo(quarter);
        assertThat(broker.get().historyBudget()).as("the running server's broker").isEqualTo(quarter);
    }

    @Test
    void publishingFarMoreThanTheHistoryBudgetKeepsHistoryAndHeapNearTheBudget() throws Exception {
        long budget = 16 * MIB;
        start(TestServer.config().hub(HubConfig.defaults().withHistoryBudget(budget)));
        long before = HeapMeter.usedHeapAfterGc();

        // The probe's attack: 1 MiB publications (here 512 KiB, under the body limit) to 10 channels,
        // through the publish API, 25 times the budget in all.
        String data = "\"" + "x".repeat(512 * 1024 - 2) + "\"";
        long published = 0;
        for (int i = 0; published < 25 * budget; i++) {
            String body = "{\"channel\":\"flood-" + (i % 10) + "\",\"data\":" + data + "}";
            assertThat(http.post("/api/publish", body).statusCode()).isEqualTo(200);
            published += data.length();
        }
        long after = HeapMeter.usedHeapAfterGc();

        assertThat(broker.get().historyBytes()).as("history kept, by the broker's count").isLessThanOrEqualTo(budget);
        // Each kept 512 KiB message is a string of 512 KiB (Latin-1): the budget's count (two bytes
        // a character) over-estimates it; the margin is for everything else the heap holds.
        assertThat(after - before).as("heap grown after publishing %s: %s", mib(published), mib(after - before))
                .isLessThan(budget + 16 * MIB);
    }

    @Test
    void manySince0PollsOfALargeChannelHoldOnlyAPageEachNotTheChannel() throws Exception {
        long maxReply = 256 * 1024;
        start(TestServer.config().maxReplyBytes(maxReply).hub(HubConfig.defaults().withHistoryBudget(256 * MIB)));
        // A large channel: 48 MiB of history.
        String data = "\"" + "y".repeat(256 * 1024 - 2) + "\"";
        Message first = null;
        for (int i = 0; i < 192; i++) {
            Message m = http.publish("large", data);
            first = first == null ? m : first;
        }
        String since = "0:" + first.epoch();
        long directBefore = HeapMeter.usedDirectMemory();

        // The probe's amplification: a short run of since=0 polls, each of which used to build the
        // whole stream into one reply. 40 connections ask and do not read: whatever replies the
        // server builds stay in its memory while it writes them.
        int clients = 40;
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                Socket socket = new Socket();
                socket.setReceiveBufferSize(4096);
                socket.connect(new InetSocketAddress("127.0.0.1", http.server().port()), 10_000);
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write(("GET /poll?channel=large&wait=0&since=" + since + " HTTP/1.1\r\nHost: x\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                sockets.add(socket);
            }
            // Every poll is answered (its reply written or being written) before memory is read.
            TestServer.await("every poll is answered", () -> sockets.stream().allMatch(HistoryMemoryTest::answered));
            long held = HeapMeter.usedDirectMemory() - directBefore;
            long wholeStream = 192L * data.length();
            assertThat(held).as("direct memory held by %d unread replies: %s (the whole stream each would be %s)",
                            clients, mib(held), mib(clients * wholeStream))
                    .isLessThan(clients * (maxReply + 64 * 1024) + 32 * MIB);

            // And each reply is a page with a cursor to go on from.
            try (Socket one = sockets.get(0)) {
                HttpResponse answer = RawHttp.read(one);
                assertThat(answer.status()).isEqualTo(200);
                JsonNode page = HttpResponses.JSON.readTree(answer.body());
                assertThat(page.path("messages")).hasSize(1);
                assertThat(page.path("cursor").asText()).isEqualTo(first.position().toString());
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    private static boolean answered(Socket socket) {
        try {
            return socket.getInputStream().available() > 0;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
