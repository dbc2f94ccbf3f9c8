package io.switchboard.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The protocol handler in the server role, driven byte by byte through an embedded channel. */
class WebSocketProtocolHandlerTest {

    private final List<String> events = new ArrayList<>();
    private EmbeddedChannel channel;
    private WebSocketProtocolHandler handler;

    @BeforeEach
    void open() {
        open(1024, null);
    }

    private void open(int maxMessageSize, DeflateParameters deflate) {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
        events.clear();
        handler = new WebSocketProtocolHandler(true, maxMessageSize, deflate, new WebSocketListener() {
            @Override
            public void onText(WebSocket ws, ByteBuf utf8) {
                events.add("text:" + utf8.toString(StandardCharsets.UTF_8));
            }

            @Override
            public void onBinary(WebSocket ws, ByteBuf data) {
                events.add("binary:" + data.readableBytes());
            }

            @Override
            public void onClosing(WebSocket ws, int code, String reason) {
                events.add("closing:" + code + ":" + reason);
            }

            @Override
            public void onClosed(WebSocket ws, int code, String reason) {
                events.add("closed:" + code);
            }
        });
        channel = new EmbeddedChannel(handler);
        handler.start();
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private static ByteBuf clientFrame(int opcode, boolean fin, byte[] payload) {
        return FrameWriter.encode(ByteBufAllocator.DEFAULT, opcode, fin, Unpooled.wrappedBuffer(payload), true);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Feeds a buffer one byte per read, as the slowest network would. */
    private void feedByteByByte(ByteBuf frame) {
        while (frame.isReadable()) {
            channel.writeInbound(frame.readRetainedSlice(1));
        }
        frame.release();
    }

    /** The next frame the server wrote: opcode and payload. */
    private Frame outbound() {
        ByteBuf out = channel.readOutbound();
        assertThat(out).as("a frame from the server").isNotNull();
        try {
            int opcode = out.readUnsignedByte() & 0x0F;
            int length = out.readUnsignedByte() & 0x7F;
            if (length == 126) {
                length = out.readUnsignedShort();
            }
            byte[] payload = new byte[length];
            out.readBytes(payload);
            return new Frame(opcode, payload);
        } finally {
            out.release();
        }
    }

    private Frame closeFrame() {
        Frame frame = outbound();
        while (frame.opcode == Opcode.PONG) {
            frame = outbound();
        }
        assertThat(frame.opcode).isEqualTo(Opcode.CLOSE);
        return frame;
    }

    @Test
    void aBatchOfMessagesIsWrittenOnlyWhenTheBatchEndsAndAloneEachIsWrittenAtOnce() {
        handler.sendText("alone");
        assertThat(new String(outbound().payload, StandardCharsets.UTF_8)).isEqualTo("alone");

        handler.batch(() -> {
            handler.sendText("one");
            handler.sendText("two");
            Object flushed = channel.readOutbound();
            assertThat(flushed).as("nothing flushed inside the batch").isNull();
        });
        assertThat(new String(outbound().payload, StandardCharsets.UTF_8)).isEqualTo("one");
        assertThat(new String(outbound().payload, StandardCharsets.UTF_8)).isEqualTo("two");
    }

    @Test
    void deliversATextMessageFedOneByteAtATime() {
        feedByteByByte(clientFrame(Opcode.TEXT, true, utf8("Hello, κόσμε")));
        assertThat(events).containsExactly("text:Hello, κόσμε");
    }

    @Test
    void reassemblesFragmentsWithAPingInTheMiddle() {
        channel.writeInbound(clientFrame(Opcode.TEXT, false, utf8("frag")));
        channel.writeInbound(clientFrame(Opcode.PING, true, utf8("are you there")));
        channel.writeInbound(clientFrame(Opcode.CONTINUATION, false, utf8("ment")));
        channel.writeInbound(clientFrame(Opcode.CONTINUATION, true, utf8("ed")));
        assertThat(events).containsExactly("text:fragmented");
        Frame pong = outbound();
        assertThat(pong.opcode).isEqualTo(Opcode.PONG);
        assertThat(new String(pong.payload, StandardCharsets.UTF_8)).isEqualTo("are you there");
    }

    @Test
    void closesWith1007AsSoonAsTheFirstFragmentHoldsInvalidUtf8() {
        byte[] invalid = {(byte) 0xCE, (byte) 0xBA, (byte) 0xED, (byte) 0xA0, (byte) 0x80};
        channel.writeInbound(clientFrame(Opcode.TEXT, false, invalid));
        assertThat(closeFrame().code()).isEqualTo(CloseCode.INVALID_PAYLOAD);
        assertThat(channel.isOpen()).isFalse();
        assertThat(events).as("no text message reached the application").containsExactly("closed:1007");
    }

    @Test
    void closesWith1007InTheMiddleOfAFrameWhoseRestHasNotArrived() {
        ByteBuf frame = clientFrame(Opcode.TEXT, true, new byte[] {'o', 'k', (byte) 0xF5, 'x', 'y', 'z'});
        channel.writeInbound(frame.readRetainedSlice(6 + 3)); // header, mask, "ok", the bad byte
        frame.release();
        assertThat(closeFrame().code()).isEqualTo(CloseCode.INVALID_PAYLOAD);
    }

    @Test
    void closesWith1009WhenAFrameHeaderAnnouncesMoreThanTheLimit() {
        open(100, null);
        ByteBuf header = Unpooled.buffer();
        FrameWriter.writeHeader(header, Opcode.BINARY, true, 0, 101, true, 0x01020304);
        channel.writeInbound(header);
        assertThat(closeFrame().code()).isEqualTo(CloseCode.MESSAGE_TOO_BIG);
    }

    @Test
    void closesWith1009WhenFragmentsAddUpToMoreThanTheLimit() {
        open(100, null);
        channel.writeInbound(clientFrame(Opcode.BINARY, false, new byte[60]));
        channel.writeInbound(clientFrame(Opcode.CONTINUATION, true, new byte[60]));
        assertThat(closeFrame().code()).isEqualTo(CloseCode.MESSAGE_TOO_BIG);
        assertThat(events).containsExactly("closed:1009");
    }

    @Test
    void closesWith1002OnAnUnmaskedClientFrame() {
        channel.writeInbound(FrameWriter.encode(ByteBufAllocator.DEFAULT, Opcode.TEXT, true, Unpooled.wrappedBuffer(utf8("hi")), false));
        assertThat(closeFrame().code()).isEqualTo(CloseCode.PROTOCOL_ERROR);
    }

    @Test
    void closesWith1002OnReservedBitsReservedOpcodesAndBadControlFrames() {
        ByteBuf rsv = clientFrame(Opcode.TEXT, true, utf8("x"));
        rsv.setByte(0, rsv.getByte(0) | 0x40);
        for (ByteBuf bad : List.of(rsv,
                clientFrame(3, true, new byte[0]),
                clientFrame(Opcode.PING, false, new byte[0]),
                clientFrame(Opcode.PING, true, new byte[126]),
                clientFrame(Opcode.CONTINUATION, true, utf8("orphan")),
                clientFrame(Opcode.CLOSE, true, new byte[] {3, (byte) 0xE8 + 4}))) { // code 1004
            open();
            channel.writeInbound(bad);
            assertThat(closeFrame().code()).isEqualTo(CloseCode.PROTOCOL_ERROR);
        }
    }

    @Test
    void echoesTheCloseCodeAndReasonThenClosesTheConnection() {
        byte[] payload = {0x03, (byte) 0xE8, 'b', 'y', 'e'};
        channel.writeInbound(clientFrame(Opcode.CLOSE, true, payload));
        assertThat(closeFrame().payload()).containsExactly(payload);
        assertThat(channel.isOpen()).isFalse();
        assertThat(events).containsExactly("closing:1000:bye", "closed:1000");
    }

    @Test
    void answersAnEmptyCloseWithAnEmptyClose() {
        channel.writeInbound(clientFrame(Opcode.CLOSE, true, new byte[0]));
        assertThat(closeFrame().payload()).isEmpty();
        assertThat(events).containsExactly("closing:1005:", "closed:1005");
    }

    @Test
    void anyFrameFromThePeerAnswersAnOutstandingPing() {
        handler.ping(Unpooled.EMPTY_BUFFER);
        assertThat(outbound().opcode()).isEqualTo(Opcode.PING);
        assertThat(handler.pingOutstanding()).isTrue();
        // The first bytes of a long message, not a pong: the peer is alive.
        ByteBuf frame = clientFrame(Opcode.BINARY, true, new byte[500]);
        channel.writeInbound(frame.readRetainedSlice(100));
        assertThat(handler.pingOutstanding()).isFalse();
        channel.writeInbound(frame);
        assertThat(events).containsExactly("binary:500");
    }

    @Test
    void sendingAfterCloseIsAnErrorLikeTheBrowsersInvalidStateError() {
        handler.close(CloseCode.NORMAL, "done");
        assertThat(handler.readyState()).isEqualTo(ReadyState.CLOSING);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> handler.sendText("late"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aMessageArrivingAfterThisEndSentItsCloseIsNotDelivered() {
        handler.close(CloseCode.NORMAL, "done");
        assertThat(closeFrame().code()).isEqualTo(CloseCode.NORMAL);
        channel.writeInbound(clientFrame(Opcode.TEXT, true, utf8("too late")));
        assertThat(events).isEmpty();
        assertThat(channel.isOpen()).as("still waiting for the peer's close").isTrue();
    }

    @Test
    void thePeersCloseAfterOursCompletesTheHandshakeWithOurCode() {
        handler.close(CloseCode.GOING_AWAY, "shutting down");
        assertThat(closeFrame().code()).isEqualTo(CloseCode.GOING_AWAY);
        channel.writeInbound(clientFrame(Opcode.CLOSE, true, new byte[] {0x03, (byte) 0xE9}));
        for (ByteBuf out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            int bytes = out.readableBytes();
            out.release();
            assertThat(bytes).as("no second close frame").isZero();
        }
        assertThat(channel.isOpen()).isFalse();
        assertThat(handler.readyState()).isEqualTo(ReadyState.CLOSED);
        assertThat(events).containsExactly("closing:1001:", "closed:1001");
    }

    @Test
    void aConnectionThatDropsWithoutACloseFrameReports1006() {
        channel.close();
        assertThat(events).containsExactly("closed:" + CloseCode.ABNORMAL);
    }

    @Test
    void terminateSendsItsCodeAndReadsNothingMore() {
        handler.terminate(CloseCode.POLICY_VIOLATION, "slow consumer");
        assertThat(closeFrame().code()).isEqualTo(CloseCode.POLICY_VIOLATION);
        assertThat(channel.isOpen()).isFalse();
        assertThat(events).containsExactly("closed:1008");
    }

    @Test
    void inflatesAndDeflatesWhenPermessageDeflateIsNegotiated() {
        DeflateParameters deflate = DeflateParameters.negotiate("permessage-deflate; client_max_window_bits", 0);
        open(1 << 20, deflate);
        MessageDeflater client = new MessageDeflater(false, 15);
        String text = "compress me ".repeat(100);
        ByteBuf compressed = client.deflate(ByteBufAllocator.DEFAULT, Unpooled.wrappedBuffer(utf8(text)));
        channel.writeInbound(FrameWriter.encode(ByteBufAllocator.DEFAULT, Opcode.TEXT, true, 4, compressed, true));
        assertThat(events).containsExactly("text:" + text);

        handler.sendText(text);
        ByteBuf out = channel.readOutbound();
        try {
            assertThat((int) out.getUnsignedByte(0)).isEqualTo(0x80 | 0x40 | Opcode.TEXT); // FIN, RSV1, text
            assertThat(out.readableBytes()).isLessThan(text.length() / 4);
        } finally {
            out.release();
            client.close();
        }
    }

    private record Frame(int opcode, byte[] payload) {
        int code() {
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }
}
