package io.switchboard.core;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The names of channels a broker forgot, in a fixed 1 MiB (a Bloom filter with three hashes): it
 * may say "maybe" for a channel never forgotten, never "no" for one that was. A "maybe" only gives
 * a channel a fresh epoch when it comes back, so memory stays bounded however many channels come
 * and go.
 */
final class ForgottenChannels {

    private static final int BITS = 1 << 23;
    private final AtomicLongArray words = new AtomicLongArray(BITS / 64);

    void add(String channel) {
        long h = hash(channel);
        for (int i = 0; i < 3; i++) {
            int bit = index(h, i);
            long mask = 1L << (bit & 63);
            int word = bit >>> 6;
            long old;
            do {
                old = words.get(word);
            } while ((old & mask) == 0 && !words.compareAndSet(word, old, old | mask));
        }
    }

    boolean mightContain(String channel) {
        long h = hash(channel);
        for (int i = 0; i < 3; i++) {
            int bit = index(h, i);
            if ((words.get(bit >>> 6) & (1L << (bit & 63))) == 0) {
                return false;
            }
        }
        return true;
    }

    private static int index(long hash, int i) {
        int h1 = (int) hash;
        int h2 = (int) (hash >>> 32);
        return ((h1 + i * h2) & 0x7fffffff) % BITS;
    }

    /** 64-bit FNV-1a of the name's UTF-8 bytes. */
    private static long hash(String channel) {
        long h = 0xcbf29ce484222325L;
        for (byte b : channel.getBytes(StandardCharsets.UTF_8)) {
            h ^= b;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
