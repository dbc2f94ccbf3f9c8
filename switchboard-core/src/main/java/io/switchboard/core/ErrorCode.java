package io.switchboard.core;

import java.util.Locale;

/**
 * Switchboard's one error vocabulary, the same on every transport: a stable number ({@link #code()})
 * and a stable name ({@link #wireName()}, e.g. {@code bad_cursor}). Neither changes once published;
 * see {@code docs/protocol.md}. How a transport carries an error (an error reply on {@code /ws}, an
 * HTTP status with a JSON body) is the transport's business, not this list's.
 *
 * <p>1xx: faults of a request to the channel model and its client protocol, whatever carries it.
 * 2xx: faults of the HTTP request around it (routing, handshake); {@code /ws} never sends these.
 */
public enum ErrorCode {

    /** The server failed; the request may be retried. */
    INTERNAL(100),
    /** The text is not valid JSON, or not a JSON object. */
    INVALID_JSON(101),
    /** The command names nothing the server knows (or names several). */
    UNKNOWN_COMMAND(102),
    /** A required field is missing, or a field has the wrong type or an out-of-range value. */
    BAD_REQUEST(103),
    /** A channel name is empty, too long, or has a character outside {@code [A-Za-z0-9_\-:.@/=#,]}. */
    BAD_CHANNEL(104),
    /** A stream position ({@code since}) is malformed. */
    BAD_CURSOR(105),
    /** The connection is already subscribed to the channel. */
    ALREADY_SUBSCRIBED(106),
    /** The connection already holds the most subscriptions it may. */
    TOO_MANY_SUBSCRIPTIONS(107),
    /** No valid credentials: a token (or API key) missing where one is required, malformed, wrongly signed or expired. */
    UNAUTHORIZED(108),
    /** The caller's identity (or its origin, or its address) may not do this, on this channel or endpoint. */
    FORBIDDEN(109),
    /** The caller sends requests faster than it may; it may retry later. */
    TOO_MANY_REQUESTS(110),
    /** The request's body or message is larger than the server accepts. */
    PAYLOAD_TOO_LARGE(111),
    /** The server cannot do this now (e.g. its broker is unreachable); the request may be retried. */
    UNAVAILABLE(112),
    /** The server holds the most connections it may; retry later. */
    SERVER_FULL(113),
    /** The caller's address holds the most connections it may. */
    TOO_MANY_CONNECTIONS(114),
    /** A web page's origin that may not open WebSockets here (a cross-site WebSocket). */
    ORIGIN_NOT_ALLOWED(115),
    /** A publish from a web page of an origin that may not publish here (a cross-site request). */
    CROSS_SITE_REQUEST(116),

    /** No endpoint at the request's path. */
    NOT_FOUND(200),
    /** The endpoint does not answer the request's method. */
    METHOD_NOT_ALLOWED(201),
    /** A WebSocket opening handshake that is malformed (RFC 6455 section 4.2.1). */
    BAD_HANDSHAKE(202),
    /** A WebSocket handshake for a version other than 13. */
    UPGRADE_REQUIRED(203),
    /** The endpoint needs another HTTP version (event streams need HTTP/1.1). */
    HTTP_VERSION_NOT_SUPPORTED(204),
    /** The request line is longer than the server reads. */
    URI_TOO_LONG(205),
    /** The request's header fields are larger than the server reads. */
    HEADERS_TOO_LARGE(206),
    /** A body whose content type the endpoint does not take (a publish needs application/json). */
    UNSUPPORTED_MEDIA_TYPE(207),
    /** The request's body did not arrive in time. */
    REQUEST_TIMEOUT(208);

    private final int code;
    private final String wireName;

    ErrorCode(int code) {
        this.code = code;
        this.wireName = name().toLowerCase(Locale.ROOT);
    }

    /** The number: {@code "code"} in {@code /ws} error replies, {@code "number"} in HTTP error bodies. */
    public int code() {
        return code;
    }

    /** The name, in lower case with underscores ({@code bad_cursor}): {@code "name"} in every error body. */
    public String wireName() {
        return wireName;
    }
}
