package io.switchboard.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The permessage-deflate compressor and decompressor, apart from negotiation. */
class MessageDeflaterTest {

    @Test
    void roundTripsAcrossMessagesWithContextTakeover() throws Exception {
        MessageDeflater a = new MessageDeflater(false, 15);
        MessageInflater b = new MessageInflater(false);
        try {
            for (int i = 0; i < 5; i++) {
                String text = "message " + i + " " + "abc".repeat(i * 50);
                ByteBuf compressed = a.deflate(ByteBufAllocator.DEFAULT, Unpooled.wrappedBuffer(text.getBytes(StandardCharsets.UTF_8)));
                ByteBuf inflated = b.inflate(ByteBufAllocator.DEFAULT, compressed, 1 << 20);
                assertThat(inflated.toString(StandardCharsets.UTF_8)).isEqualTo(text);
                compressed.release();
                inflated.release();
            }
        } finally {
            a.close();
            b.close();
        }
    }

    @Test
    void aSmallServerWindowKeepsEveryBackReferenceInsideIt() throws Exception {
        // 300 random bytes twice: the only repeat lies 300 bytes back, beyond a 256-byte window.
        byte[] block = new byte[300];
        new java.util.Random(7).nextBytes(block);
        byte[] message = new byte[600];
        System.arraycopy(block, 0, message, 0, 300);
        System.arraycopy(block, 0, message, 300, 300);
        MessageDeflater wide = DeflateParameters.negotiate("permessage-deflate", 0).newDeflater();
        MessageDeflater narrow = DeflateParameters.negotiate("permessage-deflate; server_max_window_bits=8", 0).newDeflater();
        MessageInflater reader = new MessageInflater(false);
        ByteBuf wideOut = wide.deflate(ByteBufAllocator.DEFAULT, Unpooled.wrappedBuffer(message));
        ByteBuf narrowOut = narrow.deflate(ByteBufAllocator.DEFAULT, Unpooled.wrappedBuffer(message));
        try {
            assertThat(wideOut.readableBytes()).as("a 32 KiB window finds the repeat").isLessThan(400);
            assertThat(narrowOut.readableBytes()).as("a 256-byte window cannot").isGreaterThan(600);
            ByteBuf inflated = reader.inflate(ByteBufAllocator.DEFAULT, narrowOut, 1 << 20);
            assertThat(ByteBufUtil.getBytes(inflated)).isEqualTo(message);
            inflated.release();
        } finally {
            wideOut.release();
            narrowOut.release();
            wide.close();
            narrow.close();
            reader.close();
        }
    }

    @Test
    void refusesToInflatePastTheLimit() {
        MessageDeflater a = new MessageDeflater(false, 15);
        MessageInflater b = new MessageInflater(false);
        ByteBuf compressed = a.deflate(ByteBufAllocator.DEFAULT, Unpooled.wrappedBuffer(new byte[100_000]));
        try {
            assertThatThrownBy(() -> b.inflate(ByteBufAllocator.DEFAULT, compressed, 10_000))
                    .isInstanceOf(MessageInflater.TooBigException.class);
        } finally {
            compressed.release();
            a.close();
            b.close();
        }
    }
}
