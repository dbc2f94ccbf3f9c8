package io.switchboard.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FrameWriterTest {

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
                FrameWriter.mask(buf, start, length, key);
                assertThat(data).isEqualTo(expected);
            }
        }
    }

    @Test
    void rotatedKeyContinuesTheMaskMidPayload() {
        int key = 0x11223344;
        byte[] data = new byte[11];
        ByteBuf whole = Unpooled.wrappedBuffer(data.clone());
        FrameWriter.mask(whole, 0, 11, key);
        ByteBuf parts = Unpooled.wrappedBuffer(data.clone());
        FrameWriter.mask(parts, 0, 3, key);
        FrameWriter.mask(parts, 3, 8, FrameWriter.rotate(key, 3));
        assertThat(ByteBufUtilHex.hex(parts)).isEqualTo(ByteBufUtilHex.hex(whole));
    }

    @ParameterizedTest(name = "length {0} has a {1}-byte header")
    @CsvSource({"0,2", "125,2", "126,4", "65535,4", "65536,10"})
    void usesTheShortestLengthEncoding(int length, int headerLength) {
        ByteBuf frame = FrameWriter.encode(ByteBufAllocator.DEFAULT, Opcode.BINARY, true, Unpooled.wrappedBuffer(new byte[length]), false);
        try {
            assertThat(frame.readableBytes()).isEqualTo(headerLength + length);
            assertThat((int) frame.getUnsignedByte(0)).isEqualTo(0x82);
            assertThat(FrameWriter.headerLength(length, false)).isEqualTo(headerLength);
            byte[] encoded = FrameWriter.encodeUnmasked(Opcode.BINARY, new byte[length]);
            assertThat(Unpooled.wrappedBuffer(encoded)).isEqualTo(frame);
        } finally {
            frame.release();
        }
    }

    @Test
    void helloTakesSixBytesOfOverheadWhenAClientSendsIt() {
        // The lesson: "For a 'Hello' message, the WebSocket frame overhead is 6 bytes" (masked, client to server).
        ByteBuf frame = FrameWriter.encode(ByteBufAllocator.DEFAULT, Opcode.TEXT, true, Unpooled.copiedBuffer("Hello", java.nio.charset.StandardCharsets.UTF_8), true);
        try {
            assertThat(frame.readableBytes() - 5).isEqualTo(6);
        } finally {
            frame.release();
        }
    }

    /** Hex of a buffer's readable bytes. */
    static final class ByteBufUtilHex {
        static String hex(ByteBuf buf) {
            return io.netty.buffer.ByteBufUtil.hexDump(buf);
        }
    }
}
