package io.switchboard.server.websocket;

import io.switchboard.server.ServerConfig;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.server.chat.ChatEndpoint;
import io.switchboard.testkit.Frame;
import io.switchboard.testkit.RawHttp;
import io.switchboard.testkit.RawWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.EOFException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** A consumer that stops reading is disconnected with 1008; the others keep receiving. */
class BackpressureTest {

    private static final int HIGH_WATER = 64 * 1024;
    private static final Duration GRACE = Duration.ofMillis(100);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final SwitchboardServer server = SwitchboardServer.start(new ServerConfig()
            .host("127.0.0.1").port(0).demo(false)
            .writeBufferHighWater(HIGH_WATER).writeBufferLowWater(HIGH_WATER / 2)
            .slowConsumerGrace(GRACE));

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void closesWith1008AConsumerThatStaysOverItsOutboundLimit() throws Exception {
        try (Socket stalled = new Socket();
             RawWebSocket healthy = RawWebSocket.connect(URI.create("ws://127.0.0.1:" + server.port() + "/chat"))) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new InetSocketAddress("127.0.0.1", server.port()));
            // Every read below fails the test after this long rather than hanging the build.
            stalled.setSoTimeout((int) READ_TIMEOUT.toMillis());
            DataInputStream in = new DataInputStream(RawHttp.upgrade(stalled, "/chat"));
            assertThat(healthy.readFrame(Duration.ofSeconds(5)).text()).contains("welcome");

            // Far more than the socket buffers and the high-water mark hold, published while the consumer reads nothing.
            String big = "{\"type\":\"chat\",\"message\":\"" + "x".repeat(32 * 1024) + "\"}";
            for (int i = 0; i < 200; i++) {
                server.hub().publish(ChatEndpoint.CHANNEL, big, null).toCompletableFuture().get(5, TimeUnit.SECONDS);
                // One at a time, so the healthy reader never stays over the limit itself.
                assertThat(healthy.readFrame(Duration.ofSeconds(5)).length()).isEqualTo(big.length());
            }
            // The consumer stays stalled past the grace (the server's only signal is on the wire, behind the
            // backlog), then reads everything well within the 3 s the server waits before cutting it off.
            LockSupport.parkNanos(GRACE.multipliedBy(5).toNanos());

            int lastOpcode = -1;
            int closeCode = -1;
            try {
                while (true) {
                    int b0 = in.readUnsignedByte();
                    int length = in.readUnsignedByte() & 0x7F;
                    long len = length == 126 ? in.readUnsignedShort() : length == 127 ? in.readLong() : length;
                    byte[] payload = new byte[(int) len];
                    in.readFully(payload);
                    lastOpcode = b0 & 0x0F;
                    if (lastOpcode == Frame.CLOSE) {
                        closeCode = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
                        assertThat(new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8)).contains("slow consumer");
                    }
                }
            } catch (EOFException expected) {
                // the server closed the connection
            }
            assertThat(lastOpcode).isEqualTo(Frame.CLOSE);
            assertThat(closeCode).isEqualTo(1008);

            // The healthy subscriber is untouched.
            server.hub().publish(ChatEndpoint.CHANNEL, "{\"type\":\"chat\",\"message\":\"after\"}", null);
            assertThat(healthy.readFrame(Duration.ofSeconds(5)).text()).contains("after");
        }
    }
}
