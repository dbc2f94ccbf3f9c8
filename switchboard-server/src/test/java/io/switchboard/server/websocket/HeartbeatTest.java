package io.switchboard.server.websocket;

import io.switchboard.server.ServerConfig;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.testkit.Frame;
import io.switchboard.testkit.RawWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Server pings: peers that answer stay, peers that miss a pong are dropped. */
class HeartbeatTest {

    private static final Duration PING_INTERVAL = Duration.ofMillis(400);

    private SwitchboardServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    /** Starts a server that pings every {@code pingInterval} and returns its {@code /echo}. */
    private URI echo(Duration pingInterval) {
        server = SwitchboardServer.start(new ServerConfig().host("127.0.0.1").port(0).demo(false).pingInterval(pingInterval));
        return URI.create("ws://127.0.0.1:" + server.port() + "/echo");
    }

    @Test
    void closesAPeerThatMissesThePongWith1001() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(echo(PING_INTERVAL))) {
            Frame ping = ws.readFrame(Duration.ofSeconds(5));
            assertThat(ping.opcode()).isEqualTo(Frame.PING);
            // No pong: by the next interval the server gives up on us.
            Frame close = ws.readFrame(Duration.ofSeconds(5));
            assertThat(close.opcode()).isEqualTo(Frame.CLOSE);
            assertThat(close.closeCode()).isEqualTo(1001);
            assertThat(new String(close.closeReason(), StandardCharsets.UTF_8)).contains("no pong");
            assertThat(ws.awaitTcpClose(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void keepsAPeerWhosePongWaitsBehindALargeMessageStillArriving() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(echo(Duration.ofSeconds(1)))) {
            Frame ping = ws.readFrame(Duration.ofSeconds(5));
            assertThat(ping.opcode()).isEqualTo(Frame.PING);
            // A slow upload that spans several ping intervals (a piece every 30 ms); the pong can only follow it.
            byte[] big = new byte[1 << 20];
            ws.sendChopped(Frame.binary(big).encode(), 8 * 1024, Duration.ofMillis(30));
            ws.send(Frame.pong(ping.payload()));

            Frame reply = ws.readFrame(Duration.ofSeconds(5));
            while (reply.opcode() == Frame.PING) {
                ws.send(Frame.pong(reply.payload()));
                reply = ws.readFrame(Duration.ofSeconds(5));
            }
            assertThat(reply.opcode()).as("the echo, not a close: %s", reply).isEqualTo(Frame.BINARY);
            assertThat(reply.payload()).isEqualTo(big);
        }
    }

    @Test
    void keepsAPeerThatAnswersEveryPing() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(echo(PING_INTERVAL))) {
            for (int i = 0; i < 4; i++) {
                Frame ping = ws.readFrame(Duration.ofSeconds(5));
                assertThat(ping.opcode()).as("frame %d", i).isEqualTo(Frame.PING);
                ws.send(Frame.pong(ping.payload()));
            }
            ws.send(Frame.text("still here"));
            Frame reply = ws.readFrame(Duration.ofSeconds(5));
            while (reply.opcode() == Frame.PING) {
                ws.send(Frame.pong(reply.payload()));
                reply = ws.readFrame(Duration.ofSeconds(5));
            }
            assertThat(reply.text()).isEqualTo("still here");
        }
    }
}
