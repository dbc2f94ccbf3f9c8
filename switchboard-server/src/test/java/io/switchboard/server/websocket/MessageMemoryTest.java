package io.switchboard.server.websocket;

import io.switchboard.server.ServerConfig;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.testkit.Frame;
import io.switchboard.testkit.RawWebSocket;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** What WebSocket messages may cost the server: a small limit where the demo lives, and one budget for every message still arriving. */
class MessageMemoryTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static Frame nextNonPing(RawWebSocket ws) throws Exception {
        Frame frame;
        do {
            frame = ws.readFrame(WAIT);
            assertThat(frame).as("a frame within %s", WAIT).isNotNull();
        } while (frame.opcode() == Frame.PING);
        return frame;
    }

    @Test
    void theChatTakes64KibMessagesByDefaultWhileEchoTakesConformanceSizes() throws Exception {
        try (SwitchboardServer server = SwitchboardServer.start(new ServerConfig().host("127.0.0.1").port(0).demo(false))) {
            try (RawWebSocket chat = RawWebSocket.connect(URI.create("ws://127.0.0.1:" + server.port() + "/chat"))) {
                nextNonPing(chat); // welcome
                chat.send(Frame.text("x".repeat(64 * 1024 + 1)));
                Frame close = nextNonPing(chat);
                assertThat(close.opcode()).isEqualTo(Frame.CLOSE);
                assertThat(close.closeCode()).isEqualTo(1009);
            }
            try (RawWebSocket echo = RawWebSocket.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"))) {
                byte[] mebibyte = new byte[1 << 20];
                echo.send(Frame.binary(mebibyte));
                Frame back = nextNonPing(echo);
                assertThat(back.opcode()).isEqualTo(Frame.BINARY);
                assertThat(back.payload()).hasSize(mebibyte.length);
            }
        }
    }

    @Test
    void aSenderWhoseUnfinishedMessageWouldExceedTheSharedBudgetIsClosedWith1013AndOthersGoOn() throws Exception {
        try (SwitchboardServer server = SwitchboardServer.start(new ServerConfig().host("127.0.0.1").port(0).demo(false)
                .partialMessageBudget(100_000))) {
            URI echo = URI.create("ws://127.0.0.1:" + server.port() + "/echo");
            try (RawWebSocket first = RawWebSocket.connect(echo); RawWebSocket second = RawWebSocket.connect(echo)) {
                first.send(Frame.binary(new byte[60_000]).withFin(false));
                // The first fragment must be held before the second sender arrives: ask for a pong behind it.
                first.send(Frame.ping(new byte[] {1}));
                assertThat(nextNonPing(first).opcode()).isEqualTo(Frame.PONG);

                second.send(Frame.binary(new byte[60_000]).withFin(false));
                Frame refused = nextNonPing(second);
                assertThat(refused.opcode()).isEqualTo(Frame.CLOSE);
                assertThat(refused.closeCode()).isEqualTo(1013);

                first.send(Frame.of(Frame.CONTINUATION, new byte[10]));
                Frame whole = nextNonPing(first);
                assertThat(whole.opcode()).isEqualTo(Frame.BINARY);
                assertThat(whole.payload()).as("the first sender's message went through").hasSize(60_010);
            }
            try (RawWebSocket later = RawWebSocket.connect(echo)) {
                later.send(Frame.binary(new byte[50_000]).withFin(false));
                later.send(Frame.of(Frame.CONTINUATION, new byte[50_000]).withFin(true));
                assertThat(nextNonPing(later).payload()).as("the budget was given back").hasSize(100_000);
            }
        }
    }
}
