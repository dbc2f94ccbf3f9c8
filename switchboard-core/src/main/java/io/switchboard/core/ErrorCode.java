package io.switchboard.core;

/**
 * The stable error codes of the channel model and its client protocol. The numeric {@link #code()}
 * and the {@link #httpStatus()} a transport answers with never change once published; see
 * {@code docs/protocol.md}.
 */
public enum ErrorCode {

    /** The server failed; the request may be retried. */
    INTERNAL(100, 500),
    /** The text is not valid JSON, or not a JSON object. */
    INVALID_JSON(101, 400),
    /** The command names nothing the server knows (or names several). */
    UNKNOWN_COMMAND(102, 400),
    /** A required field is missing, or a field has the wrong type or an out-of-range value. */
    BAD_REQUEST(103, 400),
    /** A channel name is empty, too long, or has a character outside {@code [A-Za-z0-9_\-:.@/=#,]}. */
    BAD_CHANNEL(104, 400),
    /** A stream position ({@code since}) is malformed. */
    BAD_CURSOR(105, 400),
    /** The connection is already subscribed to the channel. */
    ALREADY_SUBSCRIBED(106, 409),
    /** The connection already holds the most subscriptions it may. */
    TOO_MANY_SUBSCRIPTIONS(107, 429),
    /** No valid token: it is missing where one is required, malformed, wrongly signed or expired. */
    UNAUTHORIZED(108, 401),
    /** The caller's identity may not do this on this channel. */
    FORBIDDEN(109, 403),
    /** The client sends faster than the server takes; slow down. */
    TOO_MANY_REQUESTS(110, 429),
    /** The broker (Redis) cannot be reached: nothing was done; retry later. */
    UNAVAILABLE(111, 503);

    private final int code;
    private final int httpStatus;

    ErrorCode(int code, int httpStatus) {
        this.code = code;
        this.httpStatus = httpStatus;
    }

    /** The number sent in protocol error replies ({@code "error":{"code":...}}). */
    public int code() {
        return code;
    }

    /** The HTTP status an HTTP transport (SSE, polling, publish API) answers this error with. */
    public int httpStatus() {
        return httpStatus;
    }
}
