package io.switchboard.server.http;

import io.switchboard.core.Hub;
import io.switchboard.core.Message;
import io.switchboard.core.StreamPosition;
import io.switchboard.core.Subscriber;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where an event stream or a poll stands in each channel of its {@link ChannelQuery}: it subscribes
 * to every channel from the query's cursors, moves with each publication delivered, and gives the
 * cursor text the client sends back to resume ({@code 7:e}, or {@code a=7:e b=2:e}). Used on the
 * subscriber's event loop only.
 */
public final class ChannelCursor {

    /** What the subscriptions of {@link #subscribe} report, on the subscriber's event loop. */
    public interface Listener {

        /** {@code channel} could not be subscribed (a refusal or a broker failure). */
        void failed(String channel, Throwable failure);

        /** Every channel is subscribed: what is delivered from now on comes after {@link #text()}. */
        void subscribed();
    }

    private final ChannelQuery query;
    /** Each channel's position: after subscribing, the last message delivered (or where it started). */
    private final Map<String, StreamPosition> positions;
    private int pending;
    /** Channels whose publications were lost (made at the first; most streams never have one). */
    private List<String> unrecovered = List.of();

    /** A cursor at the query's starting positions; nothing is subscribed yet. */
    public ChannelCursor(ChannelQuery query) {
        this.query = query;
        // Sized for its channels: a table of 16 slots for a stream of one channel would be most of its idle cost.
        this.positions = new LinkedHashMap<>((int) (query.channels().size() / 0.75f) + 1);
        this.positions.putAll(query.since());
        this.pending = query.channels().size();
    }

    /** Subscribes {@code subscriber} to every channel, recovering from the query's cursors. */
    public void subscribe(Hub hub, Subscriber subscriber, Listener listener) {
        for (String name : query.channels()) {
            StreamPosition since = query.since().get(name);
            hub.subscribe(name, subscriber, since, null).whenComplete((result, failure) -> {
                if (failure != null) {
                    listener.failed(name, failure);
                    return;
                }
                // The messages that follow come after this position (the cursor itself when recovered).
                positions.put(name, result.recovered() ? since : result.position());
                if (since != null && !result.recovered()) {
                    unrecovered(name);
                }
                if (--pending == 0) {
                    listener.subscribed();
                }
            });
        }
    }

    /** True once every channel is subscribed. */
    public boolean subscribed() {
        return pending == 0;
    }

    /** Moves the message's channel to the message. */
    public void advance(Message message) {
        positions.put(message.channel(), message.position());
    }

    /** Publications of {@code channel} were lost on their way: the cursor moves past them to {@code position}. */
    public void lost(String channel, StreamPosition position) {
        positions.put(channel, position);
        if (!unrecovered.contains(channel)) {
            unrecovered(channel);
        }
    }

    private void unrecovered(String channel) {
        if (unrecovered.isEmpty()) {
            unrecovered = new ArrayList<>(2);
        }
        unrecovered.add(channel);
    }

    /** The cursor text to resume from: the plain cursor for one channel, the multi-cursor for several. */
    public String text() {
        return ChannelQuery.cursor(query.channels(), positions);
    }

    /** The position of {@code channel}, or null when it has none yet. */
    public StreamPosition position(String channel) {
        return positions.get(channel);
    }

    /** The channels whose cursor could not be recovered (too old, or another epoch): what came between is lost. */
    public List<String> unrecovered() {
        return unrecovered;
    }

    /** True when the stream names several channels, so each event's id is the whole multi-cursor. */
    public boolean several() {
        return query.channels().size() > 1;
    }
}
