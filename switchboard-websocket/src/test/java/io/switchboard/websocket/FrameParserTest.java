package io.switchboard.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The frame parser on its own: bytes in, events out, no channel. Grouped as the protocol's rules
 * are: opcodes, reserved bits, lengths, masking, fragmentation, control frames, UTF-8, close payloads.
 */
class FrameParserTest {

    private static final int LIMIT = 1024;

    private final List<String> events = new ArrayList<>();
    /** What the parser has not consumed yet, as a channel's receive buffer would hold it. */
    private final ByteBuf received = Unpooled.buffer();
    private FrameParser parser = server(null);
    /** Whether the last text message arrived as a slice of {@link #received}. */
    private boolean lastTextWasSlice;

    private FrameParser parser(boolean expectMasked, DeflateParameters deflate) {
        return parser(expectMasked, deflate, LIMIT);
    }

    private FrameParser parser(boolean expectMasked, DeflateParameters deflate, long limit) {
        return new FrameParser(expectMasked, limit, deflate, ByteBufAllocator.DEFAULT, new FrameParser.Events() {
            @Override
            public void onText(ByteBuf utf8) {
                lastTextWasSlice = utf8.unwrap() == received;
                events.add("text:" + utf8.toString(StandardCharsets.UTF_8));
            }

            @Override
            public void onBinary(ByteBuf data) {
                events.add("binary:" + ByteBufUtil.hexDump(data));
            }

            @Override
            public void onPing(ByteBuf payload) {
                events.add("ping:" + payload.toString(StandardCharsets.UTF_8));
            }

            @Override
            public void onPong(ByteBuf payload) {
                events.add("pong:" + payload.toString(StandardCharsets.UTF_8));
            }

            @Override
            public void onClose(int code, String reason) {
                events.add("close:" + code + ":" + reason);
            }

            @Override
            public void onProtocolError(int code, String reason) {
                events.add("error:" + code);
            }
        });
    }

    private FrameParser server(DeflateParameters deflate) {
        return parser(true, deflate);
    }

    @AfterEach
    void release() {
        parser.close();
        received.release();
    }

    /** Appends {@code bytes} to what was received and lets the parser read. */
    private void feed(byte[]... chunks) {
        for (byte[] chunk : chunks) {
            received.writeBytes(chunk);
        }
        parser.parse(received);
        received.discardReadBytes();
    }

    /** Feeds every byte on its own, as the slowest network would deliver them. */
    private void feedByteByByte(byte[] bytes) {
        for (byte b : bytes) {
            feed(new byte[] {b});
        }
    }

    /** A frame as a client sends it: masked with a random key. */
    private static byte[] masked(int opcode, boolean fin, byte[] payload) {
        return frame(opcode, fin, 0, payload, true);
    }

    private static byte[] frame(int opcode, boolean fin, int rsv, byte[] payload, boolean masked) {
        ByteBuf frame = FrameWriter.encode(ByteBufAllocator.DEFAULT, opcode, fin, rsv, Unpooled.wrappedBuffer(payload), masked);
        try {
            return ByteBufUtil.getBytes(frame);
        } finally {
            frame.release();
        }
    }

    /** A masked frame's header alone, announcing {@code length} bytes. */
    private static byte[] header(int opcode, long length) {
        ByteBuf header = Unpooled.buffer();
        FrameWriter.writeHeader(header, opcode, true, 0, length, true, 0x0A0B0C0D);
        try {
            return ByteBufUtil.getBytes(header);
        } finally {
            header.release();
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Nested
    class Opcodes {

        @ParameterizedTest(name = "opcode {0}")
        @ValueSource(ints = {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF})
        void aReservedOpcodeIsAProtocolError(int opcode) {
            feed(masked(opcode, true, new byte[0]));
            assertThat(events).containsExactly("error:1002");
        }

        @Test
        void textAndBinaryMessagesAreReportedByType() {
            feed(masked(Opcode.TEXT, true, utf8("hi")), masked(Opcode.BINARY, true, new byte[] {1, 2}));
            assertThat(events).containsExactly("text:hi", "binary:0102");
        }
    }

    @Nested
    class ReservedBits {

        @ParameterizedTest(name = "rsv bits {0}")
        @ValueSource(ints = {1, 2, 4, 7})
        void anyReservedBitWithoutANegotiatedExtensionIsAProtocolError(int rsv) {
            feed(frame(Opcode.TEXT, true, rsv, utf8("x"), true));
            assertThat(events).containsExactly("error:1002");
        }

        @Test
        void rsv1OnAContinuationIsAProtocolErrorEvenWithDeflate() {
            parser = server(DeflateParameters.negotiate("permessage-deflate", 0));
            feed(masked(Opcode.TEXT, false, utf8("a")), frame(Opcode.CONTINUATION, true, 4, utf8("b"), true));
            assertThat(events).containsExactly("error:1002");
        }

        @Test
        void rsv1OnAControlFrameIsAProtocolErrorEvenWithDeflate() {
            parser = server(DeflateParameters.negotiate("permessage-deflate", 0));
            feed(frame(Opcode.PING, true, 4, new byte[0], true));
            assertThat(events).containsExactly("error:1002");
        }
    }

    @Nested
    class Lengths {

        @Test
        void readsSixteenBitLengths() {
            byte[] payload = new byte[300];
            feed(masked(Opcode.BINARY, true, payload));
            assertThat(events).containsExactly("binary:" + "00".repeat(300));
        }

        @Test
        void readsSixtyFourBitLengths() {
            parser = parser(true, null, 1 << 20);
            feed(masked(Opcode.BINARY, true, new byte[70_000]));
            assertThat(events).containsExactly("binary:" + "00".repeat(70_000));
        }

        @Test
        void aLengthWithTheMostSignificantBitSetIsAProtocolError() {
            byte[] header = header(Opcode.BINARY, 0);
            byte[] huge = {(byte) 0x82, (byte) (0x80 | 127), (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, header[2], header[3], header[4], header[5]};
            feed(huge);
            assertThat(events).containsExactly("error:1002");
        }

        @Test
        void aFrameAnnouncingMoreThanTheLimitIsRefusedBeforeItsPayloadArrives() {
            feed(header(Opcode.BINARY, LIMIT + 1));
            assertThat(events).containsExactly("error:1009");
        }

        @Test
        void fragmentsAddingUpToMoreThanTheLimitAreRefused() {
            feed(masked(Opcode.BINARY, false, new byte[LIMIT - 10]), masked(Opcode.CONTINUATION, true, new byte[11]));
            assertThat(events).containsExactly("error:1009");
        }

        @Test
        void aMessageOfExactlyTheLimitIsAccepted() {
            feed(masked(Opcode.TEXT, true, utf8("x".repeat(LIMIT))));
            assertThat(events).containsExactly("text:" + "x".repeat(LIMIT));
        }

        @Test
        void anEmptyMessageIsReported() {
            feed(masked(Opcode.TEXT, true, new byte[0]));
            assertThat(events).containsExactly("text:");
        }

        @Test
        void aHeaderSplitAcrossReadsWaitsForItsRest() {
            byte[] frame = masked(Opcode.TEXT, true, utf8("x".repeat(200)));
            feed(Arrays.copyOfRange(frame, 0, 3));
            assertThat(events).isEmpty();
            assertThat(received.readableBytes()).as("the partial header stays in the buffer").isEqualTo(3);
            feed(Arrays.copyOfRange(frame, 3, frame.length));
            assertThat(events).containsExactly("text:" + "x".repeat(200));
        }
    }

    @Nested
    class Masking {

        @Test
        void aServerRefusesAnUnmaskedFrame() {
            feed(frame(Opcode.TEXT, true, 0, utf8("hi"), false));
            assertThat(events).containsExactly("error:1002");
        }

        @Test
        void aClientRefusesAMaskedFrame() {
            parser = parser(false, null);
            feed(masked(Opcode.TEXT, true, utf8("hi")));
            assertThat(events).containsExactly("error:1002");
        }

        @Test
        void aClientReadsUnmaskedFrames() {
            parser = parser(false, null);
            feed(frame(Opcode.TEXT, true, 0, utf8("hi"), false));
            assertThat(events).containsExactly("text:hi");
        }

        @Test
        void unmasksAPayloadThatArrivesOneByteAtATime() {
            feedByteByByte(masked(Opcode.TEXT, true, utf8("Hello, κόσμε, and a little more than eight bytes")));
            assertThat(events).containsExactly("text:Hello, κόσμε, and a little more than eight bytes");
        }

        @Test
        void unmasksAPayloadSplitAtEveryOffset() {
            byte[] frame = masked(Opcode.BINARY, true, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11});
            for (int split = 1; split < frame.length; split++) {
                events.clear();
                feed(Arrays.copyOfRange(frame, 0, split));
                feed(Arrays.copyOfRange(frame, split, frame.length));
                assertThat(events).as("split at %d", split).containsExactly("binary:0102030405060708090a0b");
            }
        }
    }

    @Nested
    class Fragmentation {

        @Test
        void reassemblesAMessageFromItsFragments() {
            feed(masked(Opcode.TEXT, false, utf8("frag")), masked(Opcode.CONTINUATION, false, utf8("ment")),
                    masked(Opcode.CONTINUATION, true, utf8("ed")));
            assertThat(events).containsExactly("text:fragmented");
        }

        @Test
        void acceptsEmptyFragments() {
            feed(masked(Opcode.BINARY, false, new byte[0]), masked(Opcode.CONTINUATION, false, new byte[] {7}),
                    masked(Opcode.CONTINUATION, true, new byte[0]));
            assertThat(events).containsExactly("binary:07");
        }

        @Test
        void reportsAControlFrameBetweenFragmentsBeforeTheMessage() {
            feed(masked(Opcode.TEXT, false, utf8("a")), masked(Opcode.PING, true, utf8("p")), masked(Opcode.CONTINUATION, true, utf8("b")));
            assertThat(events).containsExactly("ping:p", "text:ab");
        }

        @Test
        void aContinuationWithoutAMessageIsAProtocolError() {
            feed(masked(Opcode.CONTINUATION, true, utf8("orphan")));
            assertThat(events).containsExactly("error:1002");
        }

        @Test
        void aNewMessageBeforeTheFragmentedOneEndedIsAProtocolError() {
            feed(masked(Opcode.TEXT, false, utf8("a")), masked(Opcode.TEXT, true, utf8("b")));
            assertThat(events).containsExactly("error:1002");
        }

        @Test
        void aWholeSingleFrameMessageIsASliceOfTheReceivedBytesNotACopy() {
            feed(masked(Opcode.TEXT, true, utf8("zero copy")));
            assertThat(events).containsExactly("text:zero copy");
            assertThat(lastTextWasSlice).isTrue();
        }

        @Test
        void aFragmentedMessageIsCollectedIntoABufferOfItsOwn() {
            feed(masked(Opcode.TEXT, false, utf8("col")), masked(Opcode.CONTINUATION, true, utf8("lected")));
            assertThat(events).containsExactly("text:collected");
            assertThat(lastTextWasSlice).isFalse();
        }
    }

    @Nested
    class ControlFrames {

        @Test
        void reportsPingsAndPongsWithTheirPayload() {
            feed(masked(Opcode.PING, true, utf8("are you there")), masked(Opcode.PONG, true, utf8("yes")));
            assertThat(events).containsExactly("ping:are you there", "pong:yes");
        }

        @Test
        void aFragmentedControlFrameIsAProtocolError() {
            feed(masked(Opcode.PING, false, new byte[0]));
            assertThat(events).containsExactly("error:1002");
        }

        @Test
        void aControlFrameOver125BytesIsAProtocolError() {
            feed(masked(Opcode.PING, true, new byte[126]));
            assertThat(events).containsExactly("error:1002");
        }

        @Test
        void aControlFrameOfExactly125BytesIsAccepted() {
            feed(masked(Opcode.PONG, true, utf8("p".repeat(125))));
            assertThat(events).containsExactly("pong:" + "p".repeat(125));
        }

        @Test
        void aControlFrameWaitsUntilItsWholePayloadArrived() {
            byte[] ping = masked(Opcode.PING, true, utf8("whole"));
            feed(Arrays.copyOfRange(ping, 0, ping.length - 1));
            assertThat(events).isEmpty();
            feed(Arrays.copyOfRange(ping, ping.length - 1, ping.length));
            assertThat(events).containsExactly("ping:whole");
        }
    }

    @Nested
    class Utf8 {

        @Test
        void invalidTextFailsAtTheFirstBadByteBeforeTheRestArrives() {
            byte[] frame = masked(Opcode.TEXT, true, new byte[] {'o', 'k', (byte) 0xF5, 'x', 'y', 'z'});
            feed(Arrays.copyOfRange(frame, 0, 6 + 3)); // header, mask, "ok", the bad byte
            assertThat(events).containsExactly("error:1007");
        }

        @Test
        void invalidTextInAFirstFragmentFailsBeforeTheMessageEnds() {
            feed(masked(Opcode.TEXT, false, new byte[] {(byte) 0xCE, (byte) 0xBA, (byte) 0xED, (byte) 0xA0, (byte) 0x80}));
            assertThat(events).containsExactly("error:1007");
        }

        @Test
        void textEndingInsideASequenceIsInvalid() {
            feed(masked(Opcode.TEXT, true, new byte[] {'a', (byte) 0xCE}));
            assertThat(events).containsExactly("error:1007");
        }

        @Test
        void aCharacterSplitAcrossFragmentsIsValid() {
            byte[] kappa = utf8("κ");
            feed(masked(Opcode.TEXT, false, new byte[] {kappa[0]}), masked(Opcode.CONTINUATION, true, new byte[] {kappa[1]}));
            assertThat(events).containsExactly("text:κ");
        }

        @Test
        void binaryMessagesAreNotCheckedAsText() {
            feed(masked(Opcode.BINARY, true, new byte[] {(byte) 0xF5}));
            assertThat(events).containsExactly("binary:f5");
        }
    }

    @Nested
    class ClosePayloads {

        @Test
        void anEmptyCloseHasNoStatus() {
            feed(masked(Opcode.CLOSE, true, new byte[0]));
            assertThat(events).containsExactly("close:1005:");
        }

        @Test
        void reportsTheCodeAndReason() {
            feed(masked(Opcode.CLOSE, true, new byte[] {0x03, (byte) 0xE8, 'b', 'y', 'e'}));
            assertThat(events).containsExactly("close:1000:bye");
        }

        @Test
        void aOneBytePayloadIsAProtocolError() {
            feed(masked(Opcode.CLOSE, true, new byte[] {0x03}));
            assertThat(events).containsExactly("error:1002");
        }

        @ParameterizedTest(name = "code {0}")
        @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000})
        void aCodeThatMayNotBeSentIsAProtocolError(int code) {
            feed(masked(Opcode.CLOSE, true, new byte[] {(byte) (code >> 8), (byte) code}));
            assertThat(events).containsExactly("error:1002");
        }

        @Test
        void anInvalidUtf8ReasonIsInvalidPayload() {
            feed(masked(Opcode.CLOSE, true, new byte[] {0x03, (byte) 0xE8, (byte) 0xFF}));
            assertThat(events).containsExactly("error:1007");
        }

        @Test
        void nothingIsReadAfterAClose() {
            feed(masked(Opcode.CLOSE, true, new byte[] {0x03, (byte) 0xE8}), masked(Opcode.TEXT, true, utf8("late")));
            assertThat(events).containsExactly("close:1000:");
            assertThat(parser.isClosed()).isTrue();
        }

        @Test
        void nothingIsReadAfterAProtocolError() {
            feed(masked(3, true, new byte[0]), masked(Opcode.TEXT, true, utf8("late")), masked(4, true, new byte[0]));
            assertThat(events).containsExactly("error:1002");
        }
    }

    @Nested
    class Deflate {

        private final DeflateParameters deflate = DeflateParameters.negotiate("permessage-deflate", 0);

        private byte[] compressed(byte[] message) {
            MessageDeflater deflater = new MessageDeflater(false, 15);
            ByteBuf out = deflater.deflate(ByteBufAllocator.DEFAULT, Unpooled.wrappedBuffer(message));
            try {
                return ByteBufUtil.getBytes(out);
            } finally {
                out.release();
                deflater.close();
            }
        }

        @Test
        void inflatesACompressedMessage() {
            parser = server(deflate);
            String text = "compress me ".repeat(50);
            feed(frame(Opcode.TEXT, true, 4, compressed(utf8(text)), true));
            assertThat(events).containsExactly("text:" + text);
        }

        @Test
        void aMessageThatInflatesPastTheLimitIsTooBig() {
            parser = server(deflate);
            feed(frame(Opcode.BINARY, true, 4, compressed(new byte[LIMIT * 10]), true));
            assertThat(events).containsExactly("error:1009");
        }

        @Test
        void compressedTextThatInflatesToInvalidUtf8IsInvalidPayload() {
            parser = server(deflate);
            feed(frame(Opcode.TEXT, true, 4, compressed(new byte[] {'a', (byte) 0xFF}), true));
            assertThat(events).containsExactly("error:1007");
        }

        @Test
        void dataThatIsNotDeflateIsInvalidPayload() {
            parser = server(deflate);
            feed(frame(Opcode.BINARY, true, 4, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF}, true));
            assertThat(events).containsExactly("error:1007");
        }
    }
}
