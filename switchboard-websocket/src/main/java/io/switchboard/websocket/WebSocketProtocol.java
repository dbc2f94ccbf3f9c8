package io.switchboard.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * RFC 6455 rules both directions share: masking (section 5.3), mask keys, and the close frame's
 * payload (section 5.5.1). The writer masks with it and the parser unmasks with it.
 */
public final class WebSocketProtocol {

    /** Largest payload of a control frame (section 5.5). */
    public static final int MAX_CONTROL_PAYLOAD = 125;

    /**
     * Mask keys must be unpredictable to the application and to intermediaries (RFC 6455 section
     * 5.3): one self-seeding DRBG per thread (no lock shared between clients' threads), drawn from
     * a kilobyte at a time so a key costs nanoseconds, not a DRBG call per frame.
     */
    private static final ThreadLocal<MaskKeys> MASK_KEYS = ThreadLocal.withInitial(MaskKeys::new);

    private static final class MaskKeys {
        private final SecureRandom random = strongRandom();
        private final byte[] keys = new byte[1024];
        private int next = keys.length;

        int nextKey() {
            if (next == keys.length) {
                random.nextBytes(keys);
                next = 0;
            }
            int key = (keys[next] & 0xFF) << 24 | (keys[next + 1] & 0xFF) << 16 | (keys[next + 2] & 0xFF) << 8 | keys[next + 3] & 0xFF;
            // A used key is not kept in memory longer than needed.
            keys[next] = keys[next + 1] = keys[next + 2] = keys[next + 3] = 0;
            next += 4;
            return key;
        }

        private static SecureRandom strongRandom() {
            try {
                return SecureRandom.getInstance("DRBG");
            } catch (NoSuchAlgorithmException e) {
                return new SecureRandom();
            }
        }
    }

    private WebSocketProtocol() {
    }

    /** A fresh masking key from a strong random source, as a client must use for each frame. */
    static int newMaskKey() {
        return MASK_KEYS.get().nextKey();
    }

    /**
     * XORs {@code length} bytes of {@code buf} from {@code index} with the 4-byte {@code maskKey}
     * (big-endian, as on the wire), eight bytes at a time. Masking and unmasking are the same.
     * {@code maskKey} must be rotated by the caller when {@code index} is not at a multiple of
     * four from the payload's start (see {@link #rotate}).
     */
    public static void mask(ByteBuf buf, int index, int length, int maskKey) {
        long longMask = (maskKey & 0xFFFFFFFFL) | ((long) maskKey << 32);
        int i = index;
        int end = index + length;
        for (; i + 8 <= end; i += 8) {
            buf.setLong(i, buf.getLong(i) ^ longMask);
        }
        if (i + 4 <= end) {
            buf.setInt(i, buf.getInt(i) ^ maskKey);
            i += 4;
        }
        for (int shift = 24; i < end; i++, shift -= 8) {
            buf.setByte(i, buf.getByte(i) ^ (maskKey >>> shift));
        }
    }

    /** The mask key as seen from {@code offset} bytes into the payload. */
    static int rotate(int maskKey, long offset) {
        int shift = (int) (offset & 3) * 8;
        return shift == 0 ? maskKey : (maskKey << shift) | (maskKey >>> (32 - shift));
    }

    /** A close frame's payload: the code, then the reason cut to fit 125 bytes on a UTF-8 boundary. */
    static ByteBuf closePayload(ByteBufAllocator alloc, int code, String reason) {
        byte[] bytes = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(bytes.length, MAX_CONTROL_PAYLOAD - 2);
        while (length > 0 && length < bytes.length && (bytes[length] & 0xC0) == 0x80) {
            length--;
        }
        ByteBuf payload = alloc.buffer(2 + length);
        payload.writeShort(code);
        payload.writeBytes(bytes, 0, length);
        return payload;
    }
}
