package io.switchboard.testkit;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One WebSocket frame (RFC 6455 section 5.2) as it goes on the wire, built by hand so a test can
 * send anything, valid or not: any FIN/RSV/opcode combination, masked with a chosen key, a random
 * key or not at all, and a payload of any length. Immutable; the {@code with*} methods copy.
 */
public final class Frame {

    /** Continuation frame opcode (0x0). */
    public static final int CONTINUATION = 0;
    /** Text frame opcode (0x1). */
    public static final int TEXT = 1;
    /** Binary frame opcode (0x2). */
    public static final int BINARY = 2;
    /** Close frame opcode (0x8). */
    public static final int CLOSE = 8;
    /** Ping frame opcode (0x9). */
    public static final int PING = 9;
    /** Pong frame opcode (0xA). */
    public static final int PONG = 10;

    private final boolean fin;
    private final int rsv;
    private final int opcode;
    private final byte[] payload;
    private final boolean masked;
    private final Integer maskKey;

    private Frame(boolean fin, int rsv, int opcode, byte[] payload, boolean masked, Integer maskKey) {
        if (rsv < 0 || rsv > 7) throw new IllegalArgumentException("rsv must be 0..7: " + rsv);
        if (opcode < 0 || opcode > 15) throw new IllegalArgumentException("opcode must be 0..15: " + opcode);
        this.fin = fin;
        this.rsv = rsv;
        this.opcode = opcode;
        this.payload = payload;
        this.masked = masked;
        this.maskKey = maskKey;
    }

    /** A final, masked (random key) frame with {@code opcode} and {@code payload}, as a client sends it. */
    public static Frame of(int opcode, byte[] payload) {
        return new Frame(true, 0, opcode, payload.clone(), true, null);
    }

    /** A final masked text frame with the UTF-8 bytes of {@code text}. */
    public static Frame text(String text) {
        return of(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A final masked text frame with raw (possibly invalid UTF-8) {@code payload}. */
    public static Frame text(byte[] payload) {
        return of(TEXT, payload);
    }

    /** A final masked binary frame. */
    public static Frame binary(byte[] payload) {
        return of(BINARY, payload);
    }

    /** A masked ping frame. */
    public static Frame ping(byte[] payload) {
        return of(PING, payload);
    }

    /** A masked pong frame. */
    public static Frame pong(byte[] payload) {
        return of(PONG, payload);
    }

    /** A masked close frame carrying {@code code} and the UTF-8 {@code reason}. */
    public static Frame close(int code, String reason) {
        return close(code, reason.getBytes(StandardCharsets.UTF_8));
    }

    /** A masked close frame carrying {@code code} and raw {@code reason} bytes (possibly invalid UTF-8). */
    public static Frame close(int code, byte[] reason) {
        byte[] p = new byte[2 + reason.length];
        p[0] = (byte) (code >>> 8);
        p[1] = (byte) code;
        System.arraycopy(reason, 0, p, 2, reason.length);
        return of(CLOSE, p);
    }

    /** A copy with the FIN bit set as given. */
    public Frame withFin(boolean fin) { return new Frame(fin, rsv, opcode, payload, masked, maskKey); }

    /** A copy with the three RSV bits set to {@code rsv} (RSV1 = 4, RSV2 = 2, RSV3 = 1). */
    public Frame withRsv(int rsv) { return new Frame(fin, rsv, opcode, payload, masked, maskKey); }

    /** A copy with another opcode (reserved ones included). */
    public Frame withOpcode(int opcode) { return new Frame(fin, rsv, opcode, payload, masked, maskKey); }

    /** A copy masked with exactly this 32-bit key. */
    public Frame withMaskKey(int key) { return new Frame(fin, rsv, opcode, payload, true, key); }

    /** A copy sent without a mask, as only a server may send (a client doing it is a protocol error). */
    public Frame unmasked() { return new Frame(fin, rsv, opcode, payload, false, null); }

    /** The FIN bit. */
    public boolean fin() { return fin; }

    /** The RSV bits as a number 0..7 (RSV1 is 4). */
    public int rsv() { return rsv; }

    /** The opcode 0..15. */
    public int opcode() { return opcode; }

    /** Whether the frame carries a mask. */
    public boolean masked() { return masked; }

    /** A copy of the (unmasked) payload. */
    public byte[] payload() { return payload.clone(); }

    /** Payload length in bytes. */
    public int length() { return payload.length; }

    /** The payload decoded as UTF-8 (malformed bytes replaced), for messages and diagnostics. */
    public String text() { return new String(payload, StandardCharsets.UTF_8); }

    /** For a close frame: the status code, or -1 when the payload is empty. */
    public int closeCode() {
        return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
    }

    /** For a close frame: the reason bytes after the status code (empty when none). */
    public byte[] closeReason() {
        return payload.length > 2 ? Arrays.copyOfRange(payload, 2, payload.length) : new byte[0];
    }

    /** The frame's wire bytes: header, mask key (a fresh random one unless chosen) and masked payload. */
    public byte[] encode() {
        int key = masked ? (maskKey != null ? maskKey : ThreadLocalRandom.current().nextInt()) : 0;
        byte[] header = header(fin, rsv, opcode, masked, payload.length, key);
        byte[] out = Arrays.copyOf(header, header.length + payload.length);
        System.arraycopy(payload, 0, out, header.length, payload.length);
        if (masked) mask(out, header.length, payload.length, key);
        return out;
    }

    /**
     * Just a frame header announcing {@code length} payload bytes, which need not follow: used to
     * check that a server rejects an oversized frame from its header alone.
     */
    public static byte[] header(boolean fin, int rsv, int opcode, boolean masked, long length, int maskKey) {
        int lenBytes = length < 126 ? 0 : length <= 0xffff ? 2 : 8;
        byte[] h = new byte[2 + lenBytes + (masked ? 4 : 0)];
        h[0] = (byte) ((fin ? 0x80 : 0) | (rsv << 4) | opcode);
        int i = 2;
        if (lenBytes == 0) {
            h[1] = (byte) length;
        } else if (lenBytes == 2) {
            h[1] = 126;
            h[i++] = (byte) (length >>> 8);
            h[i++] = (byte) length;
        } else {
            h[1] = 127;
            for (int s = 56; s >= 0; s -= 8) h[i++] = (byte) (length >>> s);
        }
        if (masked) {
            h[1] |= (byte) 0x80;
            h[i++] = (byte) (maskKey >>> 24);
            h[i++] = (byte) (maskKey >>> 16);
            h[i++] = (byte) (maskKey >>> 8);
            h[i] = (byte) maskKey;
        }
        return h;
    }

    /** XORs {@code length} bytes from {@code offset} with the 32-bit key (big-endian key order). */
    public static void mask(byte[] buf, int offset, int length, int key) {
        byte[] k = {(byte) (key >>> 24), (byte) (key >>> 16), (byte) (key >>> 8), (byte) key};
        for (int j = 0; j < length; j++) buf[offset + j] ^= k[j & 3];
    }

    /** Creates a frame as read from a peer. */
    static Frame received(boolean fin, int rsv, int opcode, boolean masked, byte[] payload) {
        return new Frame(fin, rsv, opcode, payload, masked, null);
    }

    @Override
    public String toString() {
        return "Frame{fin=" + fin + ", rsv=" + rsv + ", opcode=" + opcode + ", masked=" + masked
                + ", len=" + payload.length + ", payload=" + Hex.preview(payload, 48) + '}';
    }
}
