package io.switchboard.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.testkit.leak.TrackingAllocator;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the fuzz tests hold of every input: bytes a client sends after the handshake, fed to the
 * server side of the codec in reads of a given size, end in delivered messages or a close frame
 * with a valid code; nothing is thrown out of the pipeline and every buffer is released.
 * {@link #open} is the one place that knows the codec's entry point.
 */
final class ServerSideExchange {

    /** What the peer observed: listener events and the frames the server wrote, in order. */
    record Outcome(List<String> events, List<String> frames) { }

    private final long maxMessageSize;
    private final String extensionOffer;

    /** @param extensionOffer a {@code Sec-WebSocket-Extensions} offer the server accepts, or null */
    ServerSideExchange(long maxMessageSize, String extensionOffer) {
        this.maxMessageSize = maxMessageSize;
        this.extensionOffer = extensionOffer;
    }

    /** The server side of an upgraded connection on {@code channel}, reporting to {@code peer}. */
    private void open(EmbeddedChannel channel, WebSocketListener peer) {
        DeflateParameters deflate = extensionOffer == null ? null : DeflateParameters.negotiate(extensionOffer, 0);
        WebSocketProtocolHandler handler = new WebSocketProtocolHandler(true, maxMessageSize, deflate, peer);
        channel.pipeline().addLast(handler);
        handler.start();
    }

    /** Feeds {@code bytes} in reads of {@code readSize} bytes (0: all at once), checks the outcome, returns it. */
    Outcome run(byte[] bytes, int readSize) {
        TrackingAllocator alloc = new TrackingAllocator();
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.config().setAllocator(alloc);
        Peer peer = new Peer();
        open(channel, peer);
        int step = readSize <= 0 ? Math.max(1, bytes.length) : readSize;
        for (int at = 0; at < bytes.length && channel.isOpen(); at += step) {
            int n = Math.min(step, bytes.length - at);
            channel.writeInbound(alloc.buffer(n).writeBytes(bytes, at, n)); // rethrows what reached the pipeline's end
        }
        channel.runPendingTasks();
        List<String> frames = new ArrayList<>();
        for (ByteBuf frame; (frame = channel.readOutbound()) != null; ) {
            try {
                if (frame.isReadable()) { // the empty writes that flush before a close are no frames
                    frames.add(serverFrame(frame));
                }
            } finally {
                frame.release();
            }
        }
        boolean open = channel.isOpen();
        channel.finishAndReleaseAll();
        alloc.assertAllReleased();

        if (!peer.failures.isEmpty()) {
            throw new AssertionError("the codec reported an internal error", peer.failures.get(0));
        }
        boolean closeSent = !frames.isEmpty() && frames.get(frames.size() - 1).startsWith("close");
        assertThat(frames.subList(0, closeSent ? frames.size() - 1 : frames.size()))
                .as("frames before the last: only pongs").allMatch(f -> f.startsWith("pong"));
        assertThat(open).as("connection open exactly when no close frame was sent; frames " + frames).isEqualTo(!closeSent);
        return new Outcome(peer.events, frames);
    }

    /** One frame the server wrote, checked against RFC 6455 and described: "pong:<hex>" or "close:<code>:<reason>". */
    private static String serverFrame(ByteBuf frame) {
        assertThat(frame.readableBytes()).as("frame header").isGreaterThanOrEqualTo(2);
        int b0 = frame.readUnsignedByte();
        int b1 = frame.readUnsignedByte();
        assertThat(b0 & 0xF0).as("FIN set, RSV clear on a control frame").isEqualTo(0x80);
        assertThat(b1 & 0x80).as("server frames are unmasked").isZero();
        int length = b1 & 0x7F;
        assertThat(length).as("control frame payload").isLessThanOrEqualTo(125);
        assertThat(frame.readableBytes()).as("payload length as the header says").isEqualTo(length);
        byte[] payload = ByteBufUtil.getBytes(frame);
        int opcode = b0 & 0x0F;
        if (opcode == 0xA) {
            return "pong:" + ByteBufUtil.hexDump(payload);
        }
        assertThat(opcode).as("opcode of a frame the server sent unasked: close").isEqualTo(0x8);
        if (payload.length == 0) {
            return "close";
        }
        assertThat(payload.length).as("close payload").isGreaterThanOrEqualTo(2);
        int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        assertThat(sendable(code)).as("close code %d may be sent (RFC 6455 section 7.4)", code).isTrue();
        return "close:" + code + ":" + utf8(payload, 2, payload.length - 2);
    }

    /** RFC 6455 section 7.4.1 and the IANA registry: codes an endpoint may put in a close frame. */
    private static boolean sendable(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    private static String utf8(byte[] bytes, int offset, int length) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes, offset, length)).toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError("not UTF-8: " + ByteBufUtil.hexDump(bytes, offset, length), e);
        }
    }

    /** The client application: records what it is told, holds on to nothing. */
    private final class Peer implements WebSocketListener {
        final List<String> events = new ArrayList<>();
        final List<Throwable> failures = new ArrayList<>();

        @Override
        public void onText(WebSocket webSocket, ByteBuf utf8) {
            assertThat((long) utf8.readableBytes()).as("text message size").isLessThanOrEqualTo(maxMessageSize);
            events.add("text:" + utf8(ByteBufUtil.getBytes(utf8), 0, utf8.readableBytes()));
        }

        @Override
        public void onBinary(WebSocket webSocket, ByteBuf data) {
            assertThat((long) data.readableBytes()).as("binary message size").isLessThanOrEqualTo(maxMessageSize);
            events.add("binary:" + ByteBufUtil.hexDump(data));
        }

        @Override
        public void onPong(WebSocket webSocket, ByteBuf payload) {
            events.add("pong:" + ByteBufUtil.hexDump(payload));
        }

        @Override
        public void onClosing(WebSocket webSocket, int code, String reason) {
            events.add("closing:" + code + ":" + reason);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable cause) {
            failures.add(cause);
        }
    }
}
