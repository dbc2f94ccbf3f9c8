package io.switchboard.core;

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

    public Message(String channel, long offset, String epoch, String data, long time, String origin) {
        this.channel = channel;
        this.offset = offset;
        this.epoch = epoch;
        this.data = data;
        this.time = time;
        this.origin = origin;
    }

    public String channel() { return channel; }
    public long offset() { return offset; }
    public String epoch() { return epoch; }
    /** The payload as JSON text (an object, array, string, number...). */
    public String data() { return data; }
    /** Publication time, epoch millis. */
    public long time() { return time; }
    /** The client id that published it, or null for server-side publications. */
    public String origin() { return origin; }
    public StreamPosition position() { return new StreamPosition(offset, epoch); }

    /**
     * The message encoded for one wire format, computed at most once per format however many
     * subscribers (on however many threads) ask. {@code format} is a key object owned by the
     * transport (compare by identity); {@code encoder} must be pure.
     */
    public <T> T encoded(Object format, Function<Message, T> encoder) {
        throw new UnsupportedOperationException("TODO core helper");
    }
}
