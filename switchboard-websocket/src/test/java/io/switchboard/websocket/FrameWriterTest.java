package io.switchboard.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class FrameWriterTest {

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
}
