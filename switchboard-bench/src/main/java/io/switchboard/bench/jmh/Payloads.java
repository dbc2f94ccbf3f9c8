package io.switchboard.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.switchboard.websocket.FrameWriter;
import io.switchboard.websocket.Opcode;

import java.nio.charset.StandardCharsets;

/** Inputs the micro-benchmarks share: chat-like text of a given size, and the frames a client sends. */
final class Payloads {

    private static final String ASCII = "{\"type\":\"chat\",\"username\":\"alice\",\"message\":\"The quick brown fox jumps over the lazy dog.\"}";
    private static final String MIXED = "{\"type\":\"chat\",\"username\":\"Ракибул\",\"message\":\"Привет, 世界! Grüße 👋 — ok\"}";

    private Payloads() {
    }

    /** Exactly {@code size} bytes of UTF-8 chat JSON, ASCII only or with 2-, 3- and 4-byte characters; always whole characters. */
    static byte[] text(int size, boolean ascii) {
        byte[] unit = (ascii ? ASCII : MIXED).getBytes(StandardCharsets.UTF_8);
        StringBuilder text = new StringBuilder();
        int length = 0;
        while (length + unit.length <= size) {
            text.append(ascii ? ASCII : MIXED);
            length += unit.length;
        }
        // Top up with ASCII so the length is exact.
        text.append("x".repeat(size - length));
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code count} masked text frames carrying {@code payload}, back to back, as a client sends them. */
    static byte[] maskedTextFrames(byte[] payload, int count) {
        ByteBuf all = Unpooled.buffer();
        for (int i = 0; i < count; i++) {
            ByteBuf frame = FrameWriter.encode(ByteBufAllocator.DEFAULT, Opcode.TEXT, true, Unpooled.wrappedBuffer(payload), true);
            all.writeBytes(frame);
            frame.release();
        }
        byte[] bytes = ByteBufUtil.getBytes(all);
        all.release();
        return bytes;
    }

    /** A direct buffer holding {@code bytes}, as a socket read or a message to send would. */
    static ByteBuf direct(byte[] bytes) {
        return ByteBufAllocator.DEFAULT.directBuffer(bytes.length).writeBytes(bytes);
    }
}
