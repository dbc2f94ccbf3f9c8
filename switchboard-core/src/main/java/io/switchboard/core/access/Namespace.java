package io.switchboard.core.access;

import java.time.Duration;

/**
 * The options every channel {@code ns:rest} of a namespace shares (channels without a colon belong
 * to the default namespace): who may subscribe, whether clients may publish, and whether presence
 * and history are kept. Client publishing is off unless a namespace turns it on; the server's own
 * publish API always may.
 *
 * @param name          the namespace, {@code ""} for the default one
 * @param subscribe     who may subscribe (and read history and presence)
 * @param clientPublish whether subscribers' clients may publish (over {@code /ws})
 * @param presence      whether presence is kept and may be read
 * @param joinLeave     whether join and leave pushes are sent
 * @param history       whether history may be read and recovered from
 * @param historySize   messages kept per channel
 * @param historyTtl    how long a message is kept
 */
public record Namespace(String name, SubscribePolicy subscribe, boolean clientPublish, boolean presence,
                        boolean joinLeave, boolean history, int historySize, Duration historyTtl) {

    /** Who may subscribe to a namespace's channels. */
    public enum SubscribePolicy {
        /** Every client, anonymous ones too. */
        ANYONE,
        /** Clients with a verified connection token. */
        AUTHENTICATED,
        /** Only clients presenting a subscription token that names the channel. */
        TOKEN
    }

    /** Anyone subscribes, clients do not publish, presence and history on. */
    public static Namespace open(String name, int historySize, Duration historyTtl) {
        return new Namespace(name, SubscribePolicy.ANYONE, false, true, true, true, historySize, historyTtl);
    }

    /** This namespace with client publishing on or off. */
    public Namespace withClientPublish(boolean allowed) {
        return new Namespace(name, subscribe, allowed, presence, joinLeave, history, historySize, historyTtl);
    }

    /** This namespace with another subscribe policy. */
    public Namespace withSubscribe(SubscribePolicy policy) {
        return new Namespace(name, policy, clientPublish, presence, joinLeave, history, historySize, historyTtl);
    }

    /** These options under another namespace name. */
    public Namespace withName(String other) {
        return new Namespace(other, subscribe, clientPublish, presence, joinLeave, history, historySize, historyTtl);
    }

    /** The namespace part of {@code channel}: what stands before its first colon, or {@code ""}. */
    public static String of(String channel) {
        int colon = channel.indexOf(':');
        return colon < 0 ? "" : channel.substring(0, colon);
    }
}
