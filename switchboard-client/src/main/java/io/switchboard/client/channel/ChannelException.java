package io.switchboard.client.channel;

/** The server refused a command with an {@code error} reply: a code of the protocol (100-107) and a message. */
public final class ChannelException extends Exception {

    private final int code;

    /** An error reply with {@code code} and {@code message}. */
    public ChannelException(int code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    /** The protocol's error code, e.g. 104 for a bad channel name. */
    public int code() {
        return code;
    }
}
