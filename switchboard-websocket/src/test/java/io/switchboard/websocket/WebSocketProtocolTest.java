package io.switchboard.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** Masking and close payloads, the rules the writer and the parser share. */
class WebSocketProtocolTest {

    @Test
    void masksEightBytesAtATimeExactlyLikeTheRfcByteLoopAtEveryOffsetAndLength() {
        Random random = new Random(42);
        int key = random.nextInt();
        byte[] keyBytes = {(byte) (key >>> 24), (byte) (key >>> 16), (byte) (key >>> 8), (byte) key};
        for (int length = 0; length < 40; length++) {
            for (int start = 0; start < 8; start++) {
                byte[] data = new byte[start + length];
                random.nextBytes(data);
                byte[] expected = data.clone();
                for (int i = 0; i < length; i++) {
                    expected[start + i] ^= keyBytes[i % 4]; // RFC 6455 section 5.3
                }
                ByteBuf buf = Unpooled.wrappedBuffer(data);
                WebSocketProtocol.mask(buf, start, length, key);
                assertThat(data).isEqualTo(expected);
            }
        }
    }

    @Test
    void rotatedKeyContinuesTheMaskMidPayload() {
        int key = 0x11223344;
        byte[] data = new byte[11];
        ByteBuf whole = Unpooled.wrappedBuffer(data.clone());
        WebSocketProtocol.mask(whole, 0, 11, key);
        ByteBuf parts = Unpooled.wrappedBuffer(data.clone());
        WebSocketProtocol.mask(parts, 0, 3, key);
        WebSocketProtocol.mask(parts, 3, 8, WebSocketProtocol.rotate(key, 3));
        assertThat(ByteBufUtil.hexDump(parts)).isEqualTo(ByteBufUtil.hexDump(whole));
    }

    @Test
    void cutsACloseReasonToFitTheControlFrameOnACharacterBoundary() {
        ByteBuf payload = WebSocketProtocol.closePayload(ByteBufAllocator.DEFAULT, CloseCode.NORMAL, "é".repeat(100));
        try {
            assertThat(payload.readableBytes()).isEqualTo(2 + 122);
            assertThat(payload.getUnsignedShort(0)).isEqualTo(CloseCode.NORMAL);
            assertThat(payload.toString(2, 122, StandardCharsets.UTF_8)).isEqualTo("é".repeat(61));
        } finally {
            payload.release();
        }
    }
}
