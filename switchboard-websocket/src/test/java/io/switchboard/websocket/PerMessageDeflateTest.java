package io.switchboard.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PerMessageDeflateTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "permessage-deflate | permessage-deflate",
        "permessage-deflate; client_max_window_bits | permessage-deflate",
        "permessage-deflate; server_no_context_takeover; client_no_context_takeover | permessage-deflate; server_no_context_takeover; client_no_context_takeover",
        "permessage-deflate; server_max_window_bits=10, permessage-deflate | permessage-deflate; server_max_window_bits=10",
        "permessage-deflate; client_max_window_bits; server_max_window_bits=8 | permessage-deflate; server_max_window_bits=8",
        "permessage-deflate; server_max_window_bits=15 | permessage-deflate; server_max_window_bits=15",
        "permessage-deflate; client_max_window_bits=9 | permessage-deflate",
        "x-webkit-deflate-frame, permessage-deflate; client_no_context_takeover | permessage-deflate; client_no_context_takeover",
    })
    void acceptsTheFirstOfferItCanHonour(String offer, String answer) {
        PerMessageDeflate deflate = PerMessageDeflate.negotiate(offer, 0);
        assertThat(deflate).isNotNull();
        assertThat(deflate.responseHeader()).isEqualTo(answer);
    }

    @ParameterizedTest(name = "declines {0}")
    @CsvSource(delimiter = '|', value = {
        "permessage-deflate; server_max_window_bits",
        "permessage-deflate; server_max_window_bits=7",
        "permessage-deflate; unknown_param",
        "permessage-deflate; client_max_window_bits=16",
        "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
        "x-webkit-deflate-frame",
    })
    void declinesOffersItCannotHonour(String offer) {
        assertThat(PerMessageDeflate.negotiate(offer, 0)).isNull();
    }

    @Test
    void roundTripsAcrossMessagesWithContextTakeover() throws Exception {
        PerMessageDeflate a = PerMessageDeflate.negotiate("permessage-deflate", 0);
        PerMessageDeflate b = PerMessageDeflate.negotiate("permessage-deflate", 0);
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
        PerMessageDeflate wide = PerMessageDeflate.negotiate("permessage-deflate", 0);
        PerMessageDeflate narrow = PerMessageDeflate.negotiate("permessage-deflate; server_max_window_bits=8", 0);
        PerMessageDeflate reader = PerMessageDeflate.negotiate("permessage-deflate", 0);
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
        PerMessageDeflate a = PerMessageDeflate.negotiate("permessage-deflate", 0);
        PerMessageDeflate b = PerMessageDeflate.negotiate("permessage-deflate", 0);
        ByteBuf compressed = a.deflate(ByteBufAllocator.DEFAULT, Unpooled.wrappedBuffer(new byte[100_000]));
        try {
            assertThatThrownBy(() -> b.inflate(ByteBufAllocator.DEFAULT, compressed, 10_000))
                    .isInstanceOf(PerMessageDeflate.TooBigException.class);
        } finally {
            compressed.release();
            a.close();
            b.close();
        }
    }
}
