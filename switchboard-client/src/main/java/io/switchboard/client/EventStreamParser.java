package io.switchboard.client;

import io.netty.buffer.ByteBuf;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Parses {@code text/event-stream} as the WHATWG HTML standard says (section 9.2.6): lines end
 * with CR, LF or CRLF; {@code event}, {@code data} (lines joined with LF), {@code id} and
 * {@code retry} fields; lines starting with a colon are comments; a blank line dispatches.
 * The last event ID survives reconnections; everything else starts again with {@link #reset()}.
 */
final class EventStreamParser {

    /** What the parser found. */
    interface Sink {
        /** A complete event, dispatched by a blank line. */
        void onEvent(EventSource.Event event);

        /** A {@code retry:} field with a valid number of milliseconds. */
        void onRetry(long millis);
    }

    private final Sink sink;
    private final long maxEventSize;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final StringBuilder data = new StringBuilder();
    private String eventType = "";
    private String lastEventId = "";
    private boolean afterCr;
    private boolean streamStart = true;

    EventStreamParser(Sink sink, long maxEventSize) {
        this.sink = sink;
        this.maxEventSize = maxEventSize;
    }

    /** The last event ID buffer: the value of the last {@code id:} field seen. */
    String lastEventId() {
        return lastEventId;
    }

    /** A new stream begins (after a reconnect): discards the half-read line and event, keeps the last event ID. */
    void reset() {
        line.reset();
        data.setLength(0);
        eventType = "";
        afterCr = false;
        streamStart = true;
    }

    /** Parses the readable bytes of {@code bytes} (not released); throws when an event grows over the limit. */
    void feed(ByteBuf bytes) throws IOException {
        for (int i = bytes.readerIndex(), end = bytes.writerIndex(); i < end; i++) {
            byte b = bytes.getByte(i);
            if (b == '\n' && afterCr) {
                afterCr = false;
                continue; // the LF of a CRLF
            }
            afterCr = b == '\r';
            if (b == '\r' || b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (streamStart && text.startsWith("\uFEFF")) {
                    text = text.substring(1);
                }
                streamStart = false;
                processLine(text);
            } else {
                if (line.size() + data.length() >= maxEventSize) {
                    throw new IOException("event stream line or event over " + maxEventSize + " bytes");
                }
                line.write(b);
            }
        }
    }

    private void processLine(String text) {
        if (text.isEmpty()) {
            dispatch();
            return;
        }
        if (text.charAt(0) == ':') {
            return; // a comment, e.g. a heartbeat
        }
        int colon = text.indexOf(':');
        String field = colon < 0 ? text : text.substring(0, colon);
        String value = colon < 0 ? "" : text.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> eventType = value;
            case "data" -> data.append(value).append('\n');
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventId = value;
                }
            }
            case "retry" -> {
                if (!value.isEmpty() && value.chars().allMatch(c -> c >= '0' && c <= '9') && value.length() < 19) {
                    sink.onRetry(Long.parseLong(value));
                }
            }
            default -> { } // unknown fields are ignored
        }
    }

    private void dispatch() {
        if (data.length() == 0) {
            eventType = "";
            return;
        }
        data.setLength(data.length() - 1); // the last LF
        EventSource.Event event = new EventSource.Event(eventType.isEmpty() ? "message" : eventType, data.toString(), lastEventId);
        data.setLength(0);
        eventType = "";
        sink.onEvent(event);
    }
}
