package io.switchboard.bench.load;

import io.netty.buffer.ByteBuf;

import java.util.concurrent.atomic.LongAdder;

/**
 * The publications a fan-out run sends through the lesson's chat, and the bookkeeping of their
 * arrival. A publication is {@code {"type":"chat","username":"bench","message":"<seq>:<nanos>"}};
 * the server relays it with {@code "message"} intact on every transport, so a subscriber finds
 * each delivery by scanning what it received for {@code "message":"<seq>:<nanos>"}.
 */
public final class ChatDeliveries {

    private static final byte[] KEY = "\"message\"".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final Latency latency = new Latency();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder duplicated = new LongAdder();

    /** The chat message carrying {@code seq}, stamped with the time now. */
    public static String publication(long seq) {
        return "{\"type\":\"chat\",\"username\":\"bench\",\"message\":\"" + seq + ":" + System.nanoTime() + "\"}";
    }

    /** Per-subscriber state: the last sequence number seen, so repeats and reorders are caught. */
    public static final class Subscriber {
        private long lastSeq = -1;
        private volatile boolean ready;

        /** Whether the subscription is in place (welcome, stream open, or first poll answered). */
        public boolean ready() {
            return ready;
        }

        /** Marks the subscription as in place. */
        public void ready(boolean ready) {
            this.ready = ready;
        }
    }

    /** Delivery latency of every message since the last reset. */
    public Latency latency() {
        return latency;
    }

    /** Distinct deliveries since the last reset. */
    public long delivered() {
        return delivered.sum();
    }

    /** Deliveries that repeated or came before one already seen, since the last reset. */
    public long duplicated() {
        return duplicated.sum();
    }

    /** Zeroes the counters (each rate step counts afresh). */
    public void reset() {
        delivered.reset();
        duplicated.reset();
        latency.reset();
    }

    /** Records every delivery found in {@code buf}'s readable bytes for {@code subscriber}. */
    public void scan(Subscriber subscriber, ByteBuf buf) {
        long now = System.nanoTime();
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        while ((i = indexOf(buf, i, end)) >= 0) {
            i += KEY.length;
            while (i < end && (buf.getByte(i) == ' ' || buf.getByte(i) == ':')) {
                i++;
            }
            if (i >= end || buf.getByte(i) != '"') {
                continue;
            }
            i++;
            long seq = 0;
            long nanos = 0;
            boolean sawColon = false;
            boolean valid = true;
            boolean negative = false;
            for (; i < end; i++) {
                byte b = buf.getByte(i);
                if (b == '"') {
                    break;
                } else if (b == ':') {
                    sawColon = true;
                } else if (b >= '0' && b <= '9') {
                    if (sawColon) {
                        nanos = nanos * 10 + (b - '0');
                    } else {
                        seq = seq * 10 + (b - '0');
                    }
                } else if (b == '-' && sawColon) {
                    negative = true;
                } else {
                    valid = false;
                }
            }
            if (valid && sawColon) {
                record(subscriber, seq, now - (negative ? -nanos : nanos));
            }
        }
    }

    private void record(Subscriber subscriber, long seq, long latencyNanos) {
        synchronized (subscriber) {
            if (seq <= subscriber.lastSeq) {
                duplicated.increment();
                return;
            }
            subscriber.lastSeq = seq;
        }
        delivered.increment();
        latency.record(latencyNanos);
    }

    private static int indexOf(ByteBuf buf, int from, int end) {
        outer:
        for (int i = from; i + KEY.length <= end; i++) {
            for (int j = 0; j < KEY.length; j++) {
                if (buf.getByte(i + j) != KEY[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
