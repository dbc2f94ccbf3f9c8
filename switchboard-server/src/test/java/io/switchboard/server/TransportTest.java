package io.switchboard.server;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringSocketChannel;
import io.switchboard.testkit.Frame;
import io.switchboard.testkit.RawWebSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The server works the same over every transport an operator can choose (this Linux host has them all). */
class TransportTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @ParameterizedTest
    @EnumSource(value = Transport.class, names = {"EPOLL", "IO_URING", "NIO"})
    void servesHttpAndEchoesWebSocketMessagesOver(Transport transport) throws Exception {
        try (TestServer server = new TestServer(TestServer.config().transport(transport))) {
            assertThat(server.server().transport()).isEqualTo(transport);
            assertThat(server.get("/").statusCode()).isEqualTo(200);

            try (RawWebSocket ws = RawWebSocket.connect(URI.create("ws://127.0.0.1:" + server.server().port() + "/echo"))) {
                byte[] large = new byte[70_000];
                Arrays.fill(large, (byte) 'x');
                ws.send(Frame.text("small"));
                ws.send(Frame.text(large));
                ws.send(Frame.close(1000, "done"));

                assertThat(ws.readFrame(WAIT).text()).isEqualTo("small");
                Frame echoed = ws.readFrame(WAIT);
                assertThat(echoed.payload()).isEqualTo(large);
                Frame close = ws.readFrame(WAIT);
                assertThat(close.opcode()).isEqualTo(Frame.CLOSE);
                assertThat(close.closeCode()).isEqualTo(1000);
                assertThat(ws.awaitTcpClose(WAIT)).isTrue();
            }
        }
    }

    /** The server leaves TCP_NODELAY to Netty, which enables it on every socket channel it creates. */
    @Test
    void everyTransportsSocketsSendSmallFramesWithoutNagleDelay() {
        Epoll.ensureAvailability();
        IoUring.ensureAvailability();
        for (SocketChannel channel : List.of(new EpollSocketChannel(), new IoUringSocketChannel(), new NioSocketChannel())) {
            try {
                assertThat(channel.config().isTcpNoDelay()).as(channel.getClass().getSimpleName()).isTrue();
            } finally {
                channel.unsafe().closeForcibly();
            }
        }
    }

    @Test
    void autoTakesEpollOnLinux() {
        assertThat(Transport.AUTO.resolve()).isEqualTo(Transport.EPOLL);
    }

    @Test
    void parsesOperatorSpellingsAndRejectsUnknownOnes() {
        assertThat(Transport.parse("io-uring")).isEqualTo(Transport.IO_URING);
        assertThat(Transport.parse("EPOLL")).isEqualTo(Transport.EPOLL);
        assertThatThrownBy(() -> Transport.parse("kqueue"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown transport 'kqueue'")
                .hasMessageContaining("auto, io_uring, epoll or nio");
    }
}
