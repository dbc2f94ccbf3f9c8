package io.switchboard.server.poll;

import io.switchboard.core.HubConfig;
import io.switchboard.core.Message;
import io.switchboard.server.HeapMeter;
import io.switchboard.server.TestServer;
import io.switchboard.testkit.HttpResponse;
import io.switchboard.testkit.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

import static io.switchboard.server.HeapMeter.mib;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak's leak: every long poll answered on a kept-alive connection stayed in memory, with the
 * messages it answered, until that connection closed. Measured as heap in use after GC in this
 * process, where the server runs.
 */
class LongPollRetentionTest {

    /** Each answered message: distinct data, kept nowhere else once history moves on (history keeps 1). */
    private static final int MESSAGE_CHARS = 4096;
    private static final int FEW = 200;
    private static final int MANY = 5000;

    private final TestServer http = new TestServer(TestServer.config()
            .hub(new HubConfig(1, Duration.ofMinutes(10), 255, 128)));

    @AfterEach
    void stop() {
        http.close();
    }

    @Test
    void finishedPollsOnAKeptAliveConnectionDoNotStayInMemory() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", http.server().port()), 10_000);
            socket.setSoTimeout(10_000);
            String cursor = http.cursor("feed");

            cursor = pollAnswered(socket, cursor, FEW);
            long afterFew = HeapMeter.usedHeapAfterGc();
            cursor = pollAnswered(socket, cursor, MANY - FEW);
            long afterMany = HeapMeter.usedHeapAfterGc();

            // The leak kept each of the 4,800 polls with its message (its text and its encoded JSON,
            // over 8 KiB each): about 40 MiB. Polls that are let go keep nothing.
            long grown = afterMany - afterFew;
            long leakPerPoll = 2L * MESSAGE_CHARS;
            assertThat(grown).as("heap grown by %d more polls on one connection: %s (after %d: %s, after %d: %s)",
                            MANY - FEW, mib(grown), FEW, mib(afterFew), MANY, mib(afterMany))
                    .isLessThan((MANY - FEW) * leakPerPoll / 4);
            assertThat(http.server().heldPollCount()).isZero();
            assertThat(socket.isClosed()).as("the connection is still open").isFalse();
        }
    }

    /** Publishes {@code count} messages, each answering one long poll on {@code socket}; returns the last cursor. */
    private String pollAnswered(Socket socket, String cursor, int count) throws Exception {
        for (int i = 0; i < count; i++) {
            Message message = http.publish("feed", "\"" + Character.forDigit(i % 10, 10) + "x".repeat(MESSAGE_CHARS - 1) + "\"");
            HttpResponse answer = RawHttp.exchange(socket, "GET /poll?channel=feed&wait=30&since=" + cursor + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(answer.status()).as("poll %d: %s", i, answer).isEqualTo(200);
            assertThat(answer.bodyText()).as("poll %d", i).contains("\"offset\":" + message.offset() + ",");
            cursor = message.position().toString();
        }
        return cursor;
    }
}
