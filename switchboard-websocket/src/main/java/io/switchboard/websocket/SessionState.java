package io.switchboard.websocket;

/**
 * Where a connection is in its life, the close handshake included (RFC 6455 section 7): an end
 * shuts its output by sending a close frame and its input by receiving one, in either order.
 */
enum SessionState {
    /** The opening handshake is in progress. */
    CONNECTING,
    /** Both directions are open. */
    OPEN,
    /** This end sent its close frame (output shut) and waits for the peer's. */
    CLOSE_SENT,
    /** The peer's close frame arrived (input shut); this end has not answered yet. */
    CLOSE_RECEIVED,
    /** Both close frames are exchanged; the TCP connection is being closed. */
    CLOSE_EXCHANGED,
    /** The TCP connection is closed. */
    CLOSED;

    /** The state after this end sent its close frame. */
    SessionState closeSent() {
        return switch (this) {
            case CONNECTING, OPEN -> CLOSE_SENT;
            case CLOSE_RECEIVED -> CLOSE_EXCHANGED;
            default -> this;
        };
    }

    /** The state after the peer's close frame arrived. */
    SessionState closeReceived() {
        return switch (this) {
            case OPEN -> CLOSE_RECEIVED;
            case CLOSE_SENT -> CLOSE_EXCHANGED;
            default -> this;
        };
    }

    /** Whether this end's close frame is sent (its output is shut). */
    boolean isCloseSent() {
        return this == CLOSE_SENT || this == CLOSE_EXCHANGED;
    }

    /** Whether a close frame went either way: the close handshake's code, not 1006, describes the close. */
    boolean isClosing() {
        return this == CLOSE_SENT || this == CLOSE_RECEIVED || this == CLOSE_EXCHANGED;
    }

    /** As the browser API reports it. */
    ReadyState readyState() {
        return switch (this) {
            case CONNECTING -> ReadyState.CONNECTING;
            case OPEN -> ReadyState.OPEN;
            case CLOSED -> ReadyState.CLOSED;
            default -> ReadyState.CLOSING;
        };
    }
}
