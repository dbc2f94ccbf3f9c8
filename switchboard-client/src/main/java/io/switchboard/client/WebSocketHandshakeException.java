package io.switchboard.client;

import java.io.IOException;

/**
 * The server did not accept the opening handshake: it answered with another status than
 * {@code 101 Switching Protocols}, or its {@code Sec-WebSocket-Accept} did not match the key sent.
 */
public final class WebSocketHandshakeException extends IOException {

    private final int status;

    /** A failed handshake whose response had HTTP status {@code status}. */
    public WebSocketHandshakeException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status the server answered with (101 when only a header was wrong). */
    public int status() {
        return status;
    }
}
