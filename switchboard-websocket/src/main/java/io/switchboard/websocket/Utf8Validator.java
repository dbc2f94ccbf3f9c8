package io.switchboard.websocket;

import io.netty.buffer.ByteBuf;

/**
 * Incremental UTF-8 validation as bytes arrive, so an invalid text message fails on the first bad
 * byte (Autobahn's "fail fast"), even in the middle of a fragment. A deterministic automaton
 * (after Bjoern Hoehrmann's decoder) with an eight-bytes-at-a-time fast path for ASCII.
 *
 * <p>The whole state is one int, kept by the caller: {@link #ACCEPT} between characters,
 * {@link #REJECT} once invalid, anything else inside a multi-byte sequence.
 */
public final class Utf8Validator {

    /** The state between complete characters (a message may end here). */
    public static final int ACCEPT = 0;
    /** The state after an invalid byte; it never leaves it. */
    public static final int REJECT = 12;

    private static final byte[] TYPES = new byte[256];
    private static final byte[] STATES = {
        0, 12, 24, 36, 60, 96, 84, 12, 12, 12, 48, 72, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
        12, 0, 12, 12, 12, 12, 12, 0, 12, 0, 12, 12, 12, 24, 12, 12, 12, 12, 12, 24, 12, 24, 12, 12,
        12, 12, 12, 12, 12, 12, 12, 24, 12, 12, 12, 12, 12, 24, 12, 12, 12, 12, 12, 12, 12, 24, 12, 12,
        12, 12, 12, 12, 12, 12, 12, 36, 12, 36, 12, 12, 12, 36, 12, 12, 12, 12, 12, 36, 12, 36, 12, 12,
        12, 36, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    };

    static {
        for (int b = 0x80; b <= 0x8F; b++) TYPES[b] = 1;
        for (int b = 0x90; b <= 0x9F; b++) TYPES[b] = 9;
        for (int b = 0xA0; b <= 0xBF; b++) TYPES[b] = 7;
        TYPES[0xC0] = 8;
        TYPES[0xC1] = 8;
        for (int b = 0xC2; b <= 0xDF; b++) TYPES[b] = 2;
        TYPES[0xE0] = 10;
        for (int b = 0xE1; b <= 0xEF; b++) TYPES[b] = 3;
        TYPES[0xED] = 4;
        TYPES[0xF0] = 11;
        for (int b = 0xF1; b <= 0xF3; b++) TYPES[b] = 6;
        TYPES[0xF4] = 5;
        for (int b = 0xF5; b <= 0xFF; b++) TYPES[b] = 8;
    }

    private Utf8Validator() {
    }

    /**
     * Feeds {@code length} bytes of {@code buf} from {@code index} (reader index untouched) to the
     * automaton in {@code state}; returns the new state ({@link #REJECT} as soon as a byte is invalid).
     */
    public static int validate(int state, ByteBuf buf, int index, int length) {
        int i = index;
        int end = index + length;
        while (i < end) {
            if (state == ACCEPT) {
                // Fast path: skip whole words of ASCII while between characters.
                while (i + 8 <= end && (buf.getLong(i) & 0x8080808080808080L) == 0) {
                    i += 8;
                }
                if (i == end) {
                    break;
                }
            }
            state = STATES[state + TYPES[buf.getByte(i) & 0xFF]];
            if (state == REJECT) {
                return REJECT;
            }
            i++;
        }
        return state;
    }

    /** Whether the whole of {@code buf}'s readable bytes is valid, complete UTF-8. */
    public static boolean isValid(ByteBuf buf) {
        return validate(ACCEPT, buf, buf.readerIndex(), buf.readableBytes()) == ACCEPT;
    }
}
