package io.switchboard.websocket;

/** RFC 6455 close status codes (section 7.4) used by Switchboard. */
public final class CloseCode {

    /** 1000: normal closure; the purpose of the connection is fulfilled. */
    public static final int NORMAL = 1000;
    /** 1001: the endpoint is going away (server shutdown, page navigated away). */
    public static final int GOING_AWAY = 1001;
    /** 1002: the peer broke the protocol (bad frame, bad close code, unmasked client frame...). */
    public static final int PROTOCOL_ERROR = 1002;
    /** 1003: a data type the endpoint cannot accept (binary on a text-only endpoint). */
    public static final int UNSUPPORTED_DATA = 1003;
    /** 1005: no status code was present; never sent on the wire. */
    public static final int NO_STATUS = 1005;
    /** 1006: the connection dropped without a close frame; never sent on the wire. */
    public static final int ABNORMAL = 1006;
    /** 1007: payload inconsistent with its type, e.g. invalid UTF-8 in a text message. */
    public static final int INVALID_PAYLOAD = 1007;
    /** 1008: a policy was violated (slow consumer, authentication...). */
    public static final int POLICY_VIOLATION = 1008;
    /** 1009: a message or frame was bigger than the endpoint accepts. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** 1011: the server hit an unexpected condition. */
    public static final int INTERNAL_ERROR = 1011;
    /** 1013: try again later: the server is short of a resource (the memory for partly received messages). */
    public static final int TRY_AGAIN_LATER = 1013;

    private CloseCode() {
    }

    /**
     * Whether {@code code} may appear in a close frame on the wire: 1000-1003, 1007-1014 and the
     * registered/private ranges 3000-4999. 1004-1006 and 1015 are reserved and never sent.
     */
    public static boolean isValidOnWire(int code) {
        return (code >= 1000 && code <= 1003)
                || (code >= 1007 && code <= 1014)
                || (code >= 3000 && code <= 4999);
    }
}
