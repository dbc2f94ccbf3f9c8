package io.switchboard.websocket;

/** The browser API's {@code WebSocket.readyState} values, with the same numbers. */
public enum ReadyState {
    /** 0: the opening handshake is in progress. */
    CONNECTING,
    /** 1: the connection is established; messages can be sent and received. */
    OPEN,
    /** 2: the closing handshake has started. */
    CLOSING,
    /** 3: the connection is closed. */
    CLOSED
}
