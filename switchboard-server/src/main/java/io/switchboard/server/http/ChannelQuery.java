package io.switchboard.server.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchboard.core.ChannelName;
import io.switchboard.core.ErrorCode;
import io.switchboard.core.HubConfig;
import io.switchboard.core.ProtocolException;
import io.switchboard.core.StreamPosition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The channels an event stream or a poll names ({@code ?channel=a&channel=b}) and where to resume
 * each one. One channel resumes from a plain cursor {@code 7:e}; several from a multi-cursor
 * {@code a=7:e b=2:e} (space separated {@code channel=cursor}), the form SSE {@code id:} lines and
 * poll answers carry, so a client sends back exactly what it last received.
 *
 * @param channels the channels, distinct, in request order
 * @param since    the cursor to resume each channel from; channels without one start live
 */
public record ChannelQuery(List<String> channels, Map<String, StreamPosition> since) {

    /**
     * Reads the {@code channel} parameters of {@code query} (at least one, each valid, at most
     * {@link HubConfig#maxSubscriptionsPerClient()}) and the cursor text {@code cursor} (null or
     * empty: none). Throws {@link ProtocolException} naming what is wrong.
     */
    public static ChannelQuery parse(QueryStringDecoder query, String cursor, HubConfig limits) {
        List<String> named = query.parameters().getOrDefault("channel", List.of());
        return of(named, cursor, limits);
    }

    /** The first value of the parameter {@code name} in {@code query}, or null when it has none. */
    public static String parameter(QueryStringDecoder query, String name) {
        List<String> values = query.parameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Like {@link #parse} for channels already picked (e.g. a fixed feed). */
    public static ChannelQuery of(List<String> named, String cursor, HubConfig limits) {
        if (named.isEmpty()) {
            throw new ProtocolException(ErrorCode.BAD_REQUEST, "name at least one channel: ?channel=<name>");
        }
        LinkedHashSet<String> channels = new LinkedHashSet<>();
        for (String channel : named) {
            channels.add(ChannelName.validate(channel, limits.maxChannelLength()));
        }
        if (channels.size() > limits.maxSubscriptionsPerClient()) {
            throw new ProtocolException(ErrorCode.TOO_MANY_SUBSCRIPTIONS,
                    "at most " + limits.maxSubscriptionsPerClient() + " channels per request");
        }
        List<String> list = List.copyOf(channels);
        return new ChannelQuery(list, cursor == null || cursor.isBlank() ? Map.of() : parseCursor(cursor.strip(), list));
    }

    /** Parses a plain cursor (one channel) or a multi-cursor naming some of {@code channels}. */
    static Map<String, StreamPosition> parseCursor(String text, List<String> channels) {
        Map<String, StreamPosition> since = new LinkedHashMap<>();
        for (String token : text.split(" +")) {
            String channel = channelOf(token, channels);
            if (channel == null) {
                if (channels.size() != 1) {
                    throw new ProtocolException(ErrorCode.BAD_CURSOR,
                            "with several channels the cursor is space separated <channel>=<offset>:<epoch>");
                }
                since.put(channels.get(0), StreamPosition.parse(token));
            } else {
                since.put(channel, StreamPosition.parse(token.substring(channel.length() + 1)));
            }
        }
        return Collections.unmodifiableMap(since);
    }

    /** The longest requested channel that {@code token} starts with, followed by '='; null if none. */
    private static String channelOf(String token, List<String> channels) {
        String best = null;
        for (String channel : channels) {
            if (token.length() > channel.length() && token.charAt(channel.length()) == '=' && token.startsWith(channel)
                    && (best == null || channel.length() > best.length())) {
                best = channel;
            }
        }
        return best;
    }

    /**
     * The cursor text for {@code positions}: the plain cursor for a single channel, else the
     * multi-cursor of every channel with a known position, in {@code channels} order.
     */
    static String cursor(List<String> channels, Map<String, StreamPosition> positions) {
        if (channels.size() == 1) {
            StreamPosition position = positions.get(channels.get(0));
            return position == null ? "" : position.toString();
        }
        List<String> parts = new ArrayList<>(channels.size());
        for (String channel : channels) {
            StreamPosition position = positions.get(channel);
            if (position != null) {
                parts.add(channel + "=" + position);
            }
        }
        return String.join(" ", parts);
    }
}
