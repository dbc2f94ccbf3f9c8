package io.switchboard.server;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/** Client ids unique across nodes: a random node prefix and a per-node counter. */
public final class ClientIds {

    private static final String NODE = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xFFFFFFFFFFFFL);
    private static final AtomicLong NEXT = new AtomicLong();

    private ClientIds() {
    }

    /** A fresh client id, e.g. {@code "3fa2c1d09e11-42"}. */
    public static String next() {
        return NODE + "-" + NEXT.incrementAndGet();
    }
}
