package io.switchboard.core;

/**
 * A client's request was refused: bad input (malformed JSON, unknown command, invalid channel name
 * or cursor) or a limit. Carries a stable {@link ErrorCode} that transports map to an error reply
 * or an HTTP status; the message is readable by the client and never contains server internals.
 *
 * <p>Extends {@link IllegalArgumentException} so callers that only validate can treat it as one.
 */
public final class ProtocolException extends IllegalArgumentException {

    private final ErrorCode code;
    private final long requestId;

    /** A refusal with the given code and client-readable message. */
    public ProtocolException(ErrorCode code, String message) {
        this(code, message, 0);
    }

    /** A refusal of the request with id {@code requestId} (0 when the id is unknown). */
    public ProtocolException(ErrorCode code, String message, long requestId) {
        super(message);
        this.code = code;
        this.requestId = requestId;
    }

    /** What went wrong, as a stable code. */
    public ErrorCode code() {
        return code;
    }

    /** The id of the refused command, or 0 when it could not be read. */
    public long requestId() {
        return requestId;
    }

    /** This refusal, attributed to the request with id {@code id}. */
    public ProtocolException withRequestId(long id) {
        return id == requestId ? this : new ProtocolException(code, getMessage(), id);
    }
}
