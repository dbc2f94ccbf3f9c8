package io.switchboard.client.channel;

/**
 * The server refused a command with an {@code error} reply: an error of the protocol's one
 * vocabulary (a number and a name, see {@code docs/protocol.md}) and a message.
 */
public final class ChannelException extends Exception {

    private final int code;
    private final String name;

    /** An error reply with {@code code}, its {@code name} (null when the server sent none) and {@code message}. */
    public ChannelException(int code, String name, String message) {
        super(code + ": " + message);
        this.code = code;
        this.name = name;
    }

    /** The protocol's error number, e.g. 104 for a bad channel name. */
    public int code() {
        return code;
    }

    /** The error's name, e.g. {@code bad_channel}: the same on every transport; null from a server that sends none. */
    public String name() {
        return name;
    }
}
