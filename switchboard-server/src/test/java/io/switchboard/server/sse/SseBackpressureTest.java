package io.switchboard.server.sse;

import io.switchboard.server.ServerConfig;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.server.TestHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** An event stream whose client stops reading is disconnected; the server's memory stays bounded and other streams go on. */
class SseBackpressureTest {

    private static final int HIGH_WATER = 64 * 1024;

    private final SwitchboardServer server = SwitchboardServer.start(new ServerConfig()
            .host("127.0.0.1").port(0).demo(false).sseHeartbeat(Duration.ofMinutes(10))
            .writeBufferHighWater(HIGH_WATER).writeBufferLowWater(HIGH_WATER / 2)
            .slowConsumerGrace(Duration.ofMinutes(10)));

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void disconnectsAStreamThatStaysFarOverItsOutboundLimit() throws Exception {
        String since = "0:" + server.hub().history("big", null, 0).toCompletableFuture().get().position().epoch();
        Socket small = new Socket();
        small.setReceiveBufferSize(4096);
        try (SseConnection stalled = SseConnection.open(small, server.port(), "/sse?channel=big&since=" + since);
             SseConnection healthy = SseConnection.open(server.port(), "/sse?channel=big&since=" + since)) {
            assertThat(server.connectionCount()).isEqualTo(2);
            String big = "\"" + "x".repeat(32 * 1024) + "\"";
            // Far more than socket buffers and the hard limit (8 high-water marks) hold, while one client reads nothing.
            for (int i = 0; i < 400 && server.connectionCount() == 2; i++) {
                server.hub().publish("big", big, null).toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertThat(SseConnection.field(healthy.nextEvent(), "data")).hasSize(big.length());
            }

            TestHttp.await("the stalled stream is disconnected", () -> server.connectionCount() == 1);
            assertThat(stalled.closedByServer()).isTrue();
            server.hub().publish("big", "\"after\"", null).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(SseConnection.field(healthy.nextEvent(), "data")).isEqualTo("\"after\"");
        }
    }
}
