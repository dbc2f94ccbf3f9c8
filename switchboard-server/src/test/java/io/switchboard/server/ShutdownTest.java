package io.switchboard.server;

import io.switchboard.testkit.Frame;
import io.switchboard.testkit.RawWebSocket;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A graceful shutdown as a WebSocket client sees it. */
class ShutdownTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    /** Far longer than the 3 s a server waits for the answer to its close frame. */
    private static final Duration GRACE = Duration.ofSeconds(30);

    @Test
    void aClientThatNeverAnswersThe1001SeesItFirstAndIsCutOffWithinTheCloseTimeout() throws Exception {
        SwitchboardServer server = SwitchboardServer.start(TestServer.config().shutdownGrace(GRACE));
        try (RawWebSocket ignoring = RawWebSocket.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"))) {
            ignoring.send(Frame.text("still here"));
            assertThat(ignoring.readFrame(WAIT).text()).isEqualTo("still here");

            long start = System.nanoTime();
            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(server::close);

            Frame close = ignoring.readFrame(WAIT);
            assertThat(close.opcode()).isEqualTo(Frame.CLOSE);
            assertThat(close.closeCode()).isEqualTo(1001);
            // The client sends nothing back; the server closes TCP anyway, long before its shutdown grace is over.
            RawWebSocket.Incoming next = ignoring.poll(Duration.ofSeconds(10));
            assertThat(next).as("what follows the close frame").isNotNull();
            assertThat(next.isClosed()).as("%s", next).isTrue();
            shutdown.get(10, TimeUnit.SECONDS);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(GRACE.dividedBy(2));
        } finally {
            server.close();
        }
    }
}
