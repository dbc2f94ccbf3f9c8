package io.switchboard.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
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
        "permessage-deflate; server_max_window_bits=10, permessage-deflate | permessage-deflate",
        "permessage-deflate; server_max_window_bits=15 | permessage-deflate",
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
        "permessage-deflate; server_max_window_bits=10",
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
