package io.switchboard.server.websocket;

import io.netty.buffer.ByteBuf;
import io.switchboard.core.Message;
import io.switchboard.server.SharedBytes;
import io.switchboard.websocket.FrameWriter;
import io.switchboard.websocket.Opcode;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * A WebSocket wire format for publications: each message becomes one text frame, encoded once
 * (however many subscribers on however many event loops receive it) and cached on the message.
 * Every receiver writes a duplicate of the same bytes.
 */
public final class TextFrames {

    private final Function<Message, byte[]> utf8;

    /** A format that sends {@code text.apply(message)} as the frame's text. */
    public TextFrames(Function<Message, String> text) {
        this(new Utf8(message -> text.apply(message).getBytes(StandardCharsets.UTF_8)));
    }

    private TextFrames(Utf8 utf8) {
        this.utf8 = utf8.encoder;
    }

    /** A format that sends {@code utf8.apply(message)}, already UTF-8 text, as the frame's payload. */
    public static TextFrames ofUtf8(Function<Message, byte[]> utf8) {
        return new TextFrames(new Utf8(utf8));
    }

    /** Tells the byte-encoder constructor apart from the text one (their lambdas erase alike). */
    private record Utf8(Function<Message, byte[]> encoder) { }

    /**
     * The message's frame: a direct buffer shared by every receiver. It is never released
     * explicitly; the JDK frees it with the message (hence a duplicate per write, and no release).
     */
    public ByteBuf frame(Message message) {
        return message.encoded(this, this::encode).duplicate();
    }

    private ByteBuf encode(Message message) {
        return SharedBytes.of(FrameWriter.encodeUnmasked(Opcode.TEXT, utf8.apply(message)));
    }
}
