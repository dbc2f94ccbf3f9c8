package io.switchboard.server.sse;

import io.netty.buffer.ByteBuf;
import io.switchboard.core.Message;
import io.switchboard.core.StreamPosition;
import io.switchboard.server.SharedBytes;
import io.switchboard.server.auth.Access;

import java.nio.charset.StandardCharsets;

/**
 * The Server-Sent Events wire format for publications: {@code id: <cursor>}, {@code event:
 * <name>}, one {@code data:} line per line of the payload, a blank line. Each message is encoded
 * once per format (however many streams on however many event loops receive it), already framed
 * as one HTTP/1.1 chunk, and cached on the message; every stream writes a duplicate of the same bytes.
 */
public final class SseEvents {

    /** Sent first on every stream: how long (ms) a browser waits before reconnecting. */
    public static final int RETRY_MILLIS = 2000;

    private static final ByteBuf RETRY = SharedBytes.of(chunk("retry: " + RETRY_MILLIS + "\n\n"));
    private static final ByteBuf PING = SharedBytes.of(chunk(": ping\n\n"));
    /**
     * The last event of a stream whose connection token expired, then the end of the chunked body.
     * Unnamed, so EventSource hands it to {@code onmessage}; the code and reason are those {@code /ws}
     * closes with.
     */
    private static final ByteBuf TOKEN_EXPIRED = SharedBytes.of((new String(chunk("data: {\"disconnect\":{\"code\":"
            + Access.TOKEN_EXPIRED + ",\"reason\":\"" + Access.TOKEN_EXPIRED_REASON + "\"}}\n\n"), StandardCharsets.US_ASCII)
            + "0\r\n\r\n").getBytes(StandardCharsets.US_ASCII));

    private final String eventName;
    /** The cache key of the form without the {@code id:} line (multi-channel streams write their own). */
    private final Object withoutId = new Object();

    private SseEvents(String eventName) {
        this.eventName = eventName;
    }

    /** Events named after their channel ({@code event: news}). */
    public static SseEvents namedByChannel() {
        return new SseEvents(null);
    }

    /** Events all named {@code eventName} (the lesson's {@code event: price-update}). */
    public static SseEvents named(String eventName) {
        return new SseEvents(eventName);
    }

    /** The whole event, its {@code id:} being the message's cursor. */
    ByteBuf event(Message message) {
        return message.encoded(this, m -> SharedBytes.of(chunk(text(m, true)))).duplicate();
    }

    /** The event without its {@code id:} line, to follow a stream's own {@link #idLine}. */
    ByteBuf eventWithoutId(Message message) {
        return message.encoded(withoutId, m -> SharedBytes.of(chunk(text(m, false)))).duplicate();
    }

    /** The {@code id:} line of one event (a stream's multi-cursor), as its own chunk. */
    static byte[] idLine(String id) {
        return chunk("id: " + id + "\n");
    }

    /** An {@code id:} alone: sets the client's Last-Event-ID (where it resumes) without dispatching an event. */
    static byte[] position(String id) {
        return chunk("id: " + id + "\n\n");
    }

    /**
     * A notice that {@code channel} could not be resumed from the client's cursor (history trimmed,
     * or the cursor is from another epoch): publications in between are lost, and the stream goes on
     * from {@code position}. An event without {@code event:} name, so EventSource hands it to
     * {@code onmessage}: publications are always named events, so nothing else arrives there. The
     * JSON is the shape of the WebSocket protocol's subscribe reply.
     */
    static byte[] notRecovered(String channel, StreamPosition position) {
        // Channel names and epochs hold no character that JSON would need to escape.
        return chunk("data: {\"channel\":\"" + channel + "\",\"offset\":" + position.offset()
                + ",\"epoch\":\"" + position.epoch() + "\",\"recovered\":false}\n\n");
    }

    /** The stream's first bytes: {@code retry: 2000}. */
    static ByteBuf retry() {
        return RETRY.duplicate();
    }

    /** The stream's last bytes when its connection token expires: the {@code disconnect} notice and the body's end. */
    static ByteBuf tokenExpired() {
        return TOKEN_EXPIRED.duplicate();
    }

    /** A comment heartbeat ({@code : ping}) that keeps proxies from closing an idle stream. */
    static ByteBuf ping() {
        return PING.duplicate();
    }

    private String text(Message message, boolean withId) {
        StringBuilder out = new StringBuilder(message.data().length() + 64);
        if (withId) {
            out.append("id: ").append(message.offset()).append(':').append(message.epoch()).append('\n');
        }
        out.append("event: ").append(eventName != null ? eventName : message.channel()).append('\n');
        // A line break would end the data field: each line of the payload gets its own data: line.
        for (String line : message.data().split("\r\n|\r|\n", -1)) {
            out.append("data: ").append(line).append('\n');
        }
        return out.append('\n').toString();
    }

    /** {@code text} framed as one chunk of a chunked HTTP/1.1 body. */
    static byte[] chunk(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        byte[] size = (Integer.toHexString(payload.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = new byte[size.length + payload.length + 2];
        System.arraycopy(size, 0, chunk, 0, size.length);
        System.arraycopy(payload, 0, chunk, size.length, payload.length);
        chunk[chunk.length - 2] = '\r';
        chunk[chunk.length - 1] = '\n';
        return chunk;
    }
}
