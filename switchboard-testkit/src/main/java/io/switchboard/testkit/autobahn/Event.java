package io.switchboard.testkit.autobahn;

import io.switchboard.testkit.Hex;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One thing a case observed, compared with the case's expected list like Autobahn does: a
 * message (text or binary, exact bytes), a ping or pong (payload), or a "timeout" marker the
 * case script records when a wait passed with the connection still open.
 */
public final class Event {

    /** What kind of observation. */
    public enum Kind { TEXT, BINARY, PING, PONG, TIMEOUT }

    private final Kind kind;
    private final byte[] payload;

    private Event(Kind kind, byte[] payload) {
        this.kind = kind;
        this.payload = payload;
    }

    /** A text message with these UTF-8 bytes. */
    public static Event text(byte[] utf8) { return new Event(Kind.TEXT, utf8.clone()); }

    /** A text message with the UTF-8 encoding of {@code text}. */
    public static Event text(String text) { return text(text.getBytes(StandardCharsets.UTF_8)); }

    /** A binary message. */
    public static Event binary(byte[] data) { return new Event(Kind.BINARY, data.clone()); }

    /** A ping from the server. */
    public static Event ping(byte[] payload) { return new Event(Kind.PING, payload.clone()); }

    /** A pong from the server. */
    public static Event pong(byte[] payload) { return new Event(Kind.PONG, payload.clone()); }

    /** A pong with the UTF-8 bytes of {@code text}. */
    public static Event pong(String text) { return pong(text.getBytes(StandardCharsets.UTF_8)); }

    /** The marker a script records when a wait labelled {@code label} ran out with the connection open. */
    public static Event timeout(String label) { return new Event(Kind.TIMEOUT, label.getBytes(StandardCharsets.UTF_8)); }

    /** The kind of event. */
    public Kind kind() { return kind; }

    /** A copy of the payload. */
    public byte[] payload() { return payload.clone(); }

    @Override
    public boolean equals(Object o) {
        return o instanceof Event && ((Event) o).kind == kind && Arrays.equals(((Event) o).payload, payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        if (kind == Kind.TIMEOUT) return "timeout(" + new String(payload, StandardCharsets.UTF_8) + ")";
        return kind.name().toLowerCase() + "[" + payload.length + "](" + Hex.preview(payload, 24) + ")";
    }
}
