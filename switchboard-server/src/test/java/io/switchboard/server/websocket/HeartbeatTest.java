package io.switchboard.server.websocket;

import io.switchboard.server.ServerConfig;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.testkit.Frame;
import io.switchboard.testkit.RawWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Server pings: peers that answer stay, peers that miss a pong are dropped. */
class HeartbeatTest {

    private final SwitchboardServer server = SwitchboardServer.start(new ServerConfig()
            .host("127.0.0.1").port(0).demo(false).pingInterval(Duration.ofMillis(400)));

    @AfterEach
    void stop() {
        server.close();
    }

    private URI echo() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/echo");
    }

    @Test
    void closesAPeerThatMissesThePongWith1001() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(echo())) {
            Frame ping = ws.readFrame(Duration.ofSeconds(5));
            assertThat(ping.opcode()).isEqualTo(Frame.PING);
            // No pong: by the next interval the server gives up on us.
            Frame close = ws.readFrame(Duration.ofSeconds(5));
            assertThat(close.opcode()).isEqualTo(Frame.CLOSE);
            assertThat(close.closeCode()).isEqualTo(1001);
            assertThat(ws.awaitTcpClose(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void keepsAPeerThatAnswersEveryPing() throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(echo())) {
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
