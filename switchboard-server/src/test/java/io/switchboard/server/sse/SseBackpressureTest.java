package io.switchboard.server.sse;

import io.switchboard.server.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** An event stream whose client stops reading is disconnected; the server's memory stays bounded and other streams go on. */
class SseBackpressureTest {

    private static final int HIGH_WATER = 64 * 1024;

    private final TestServer http = new TestServer(TestServer.config().sseHeartbeat(Duration.ofMinutes(10))
            .writeBufferHighWater(HIGH_WATER).writeBufferLowWater(HIGH_WATER / 2)
            .slowConsumerGrace(Duration.ofMinutes(10)));

    @AfterEach
    void stop() {
        http.close();
    }

    @Test
    void disconnectsAStreamThatStaysFarOverItsOutboundLimit() throws Exception {
        String since = http.cursor("big");
        Socket small = new Socket();
        small.setReceiveBufferSize(4096);
        try (SseConnection stalled = SseConnection.open(small, http.server().port(), "/sse?channel=big&since=" + since);
             SseConnection healthy = SseConnection.open(http.server().port(), "/sse?channel=big&since=" + since)) {
            assertThat(http.server().connectionCount()).isEqualTo(2);
            String big = "\"" + "x".repeat(32 * 1024) + "\"";
            // Far more than socket buffers and the hard limit (8 high-water marks) hold, while one client reads nothing.
            for (int i = 0; i < 400 && http.server().connectionCount() == 2; i++) {
                http.publish("big", big);
                assertThat(SseConnection.field(healthy.nextEvent(), "data")).hasSize(big.length());
            }

            TestServer.await("the stalled stream is disconnected", () -> http.server().connectionCount() == 1);
            assertThat(stalled.closedByServer()).isTrue();
            http.publish("big", "\"after\"");
            assertThat(SseConnection.field(healthy.nextEvent(), "data")).isEqualTo("\"after\"");
        }
    }
}
