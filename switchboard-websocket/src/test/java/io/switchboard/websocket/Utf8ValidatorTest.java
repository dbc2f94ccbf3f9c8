package io.switchboard.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8ValidatorTest {

    @Test
    void acceptsEveryCodePointClassWhetherFedWholeOrSplitAtAnyByte() {
        String text = "ascii only then κόσμε, 日本語, emoji 😀 and U+10FFFF \uDBFF\uDFFF end";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        assertThat(Utf8Validator.isValid(buf)).isTrue();
        for (int split = 0; split <= bytes.length; split++) {
            int state = Utf8Validator.validate(Utf8Validator.ACCEPT, buf, 0, split);
            assertThat(state).isNotEqualTo(Utf8Validator.REJECT);
            state = Utf8Validator.validate(state, buf, split, bytes.length - split);
            assertThat(state).as("split at %d", split).isEqualTo(Utf8Validator.ACCEPT);
        }
    }

    @ParameterizedTest(name = "rejects {0}")
    @ValueSource(strings = {
        "c0af",         // overlong '/'
        "e080af",       // overlong, 3 bytes
        "f08080af",     // overlong, 4 bytes
        "eda080",       // UTF-16 surrogate U+D800
        "edbfbf",       // surrogate U+DFFF
        "f4908080",     // above U+10FFFF
        "f5",           // byte never valid
        "ff",
        "80",           // lone continuation byte
        "cebae1bdb9cebcceb5eda080656469746564", // Autobahn 6.3.1: valid prefix, then a surrogate
    })
    void rejectsInvalidSequencesAtTheFirstBadByte(String hex) {
        ByteBuf buf = Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex));
        assertThat(Utf8Validator.validate(Utf8Validator.ACCEPT, buf, 0, buf.readableBytes())).isEqualTo(Utf8Validator.REJECT);
    }

    @Test
    void reportsAnIncompleteSequenceAsNeitherAcceptedNorRejected() {
        ByteBuf buf = Unpooled.wrappedBuffer(HexFormat.of().parseHex("41e282"));
        int state = Utf8Validator.validate(Utf8Validator.ACCEPT, buf, 0, 3);
        assertThat(state).isNotIn(Utf8Validator.ACCEPT, Utf8Validator.REJECT);
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomBytes() {
        Random random = new Random(6455);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(12)];
            random.nextBytes(bytes);
            boolean jdk;
            try {
                StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
                jdk = true;
            } catch (java.nio.charset.CharacterCodingException e) {
                jdk = false;
            }
            assertThat(Utf8Validator.isValid(Unpooled.wrappedBuffer(bytes))).as(HexFormat.of().formatHex(bytes)).isEqualTo(jdk);
        }
    }
}
