package io.switchboard.core;

import java.util.Arrays;
import java.util.function.Function;

/**
 * One publication on a channel: its place in the channel's stream ({@code offset}, {@code epoch}),
 * its payload as JSON text, when it was published (epoch millis) and, optionally, the id of the
 * client that published it (so a transport can, for example, skip echoing a join to its sender).
 *
 * <p>A message is immutable and shared by every subscriber. Transports encode it once per wire
 * format and keep the encoded form on the message itself ({@link #encoded}).
 */
public final class Message {

    private final String channel;
    private final long offset;
    private final String epoch;
    private final String data;
    private final long time;
    private final String origin;
    /** Encoded forms as [format0, value0, format1, value1, ...]; copy-on-write, read without locking. */
    private volatile Object[] encodings = NO_ENCODINGS;

    private static final Object[] NO_ENCODINGS = new Object[0];

    /** A message as stored by a broker; {@code data} is JSON text, {@code origin} may be null. */
    public Message(String channel, long offset, String epoch, String data, long time, String origin) {
        this.channel = channel;
        this.offset = offset;
        this.epoch = epoch;
        this.data = data;
        this.time = time;
        this.origin = origin;
    }

    /** The channel it was published to. */
    public String channel() { return channel; }
    /** Its offset in the channel's stream: 1 for the first message of an epoch, then 2, 3... */
    public long offset() { return offset; }
    /** The channel's epoch when it was published. */
    public String epoch() { return epoch; }
    /** The payload as JSON text (an object, array, string, number...). */
    public String data() { return data; }
    /** Publication time, epoch millis. */
    public long time() { return time; }
    /** The client id that published it, or null for server-side publications. */
    public String origin() { return origin; }
    /** The cursor pointing at this message: resuming from it yields the messages after it. */
    public StreamPosition position() { return new StreamPosition(offset, epoch); }

    /**
     * The message encoded for one wire format, computed at most once per format however many
     * subscribers (on however many threads) ask. {@code format} is a key object owned by the
     * transport (compare by identity); {@code encoder} must be pure.
     */
    @SuppressWarnings("unchecked")
    public <T> T encoded(Object format, Function<Message, T> encoder) {
        Object[] e = encodings;
        for (int i = 0; i < e.length; i += 2) {
            if (e[i] == format) {
                return (T) e[i + 1];
            }
        }
        return encodeOnce(format, encoder);
    }

    /** The slow path: one thread encodes, the others asking for the same format wait and share it. */
    @SuppressWarnings("unchecked")
    private synchronized <T> T encodeOnce(Object format, Function<Message, T> encoder) {
        Object[] e = encodings;
        for (int i = 0; i < e.length; i += 2) {
            if (e[i] == format) {
                return (T) e[i + 1];
            }
        }
        T value = encoder.apply(this);
        Object[] grown = Arrays.copyOf(e, e.length + 2);
        grown[e.length] = format;
        grown[e.length + 1] = value;
        encodings = grown;
        return value;
    }

    @Override
    public String toString() {
        return "Message{" + channel + " " + offset + ":" + epoch + "}";
    }
}
