package io.switchboard.websocket;

/** RFC 6455 frame opcodes (section 5.2). */
public final class Opcode {

    /** A continuation frame (type {@code 0x0}): the next fragment of a text or binary message. */
    public static final int CONTINUATION = 0x0;
    /** A text frame (type {@code 0x1}): UTF-8 payload. */
    public static final int TEXT = 0x1;
    /** A binary frame (type {@code 0x2}). */
    public static final int BINARY = 0x2;
    /** A close frame (type {@code 0x8}): optional 2-byte status code and UTF-8 reason. */
    public static final int CLOSE = 0x8;
    /** A ping frame (type {@code 0x9}): the peer answers with a pong carrying the same payload. */
    public static final int PING = 0x9;
    /** A pong frame (type {@code 0xA}). */
    public static final int PONG = 0xA;

    private Opcode() {
    }

    /** Control frames (close, ping, pong) have the opcode's high bit set. */
    public static boolean isControl(int opcode) {
        return (opcode & 0x8) != 0;
    }

    /** Opcodes 0x3-0x7 and 0xB-0xF are reserved; receiving one is a protocol error. */
    public static boolean isReserved(int opcode) {
        return (opcode >= 0x3 && opcode <= 0x7) || opcode >= 0xB;
    }
}
