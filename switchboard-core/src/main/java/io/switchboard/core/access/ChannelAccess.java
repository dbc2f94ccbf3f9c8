package io.switchboard.core.access;

import io.switchboard.core.ChannelSettings;
import io.switchboard.core.ErrorCode;
import io.switchboard.core.ProtocolException;
import io.switchboard.core.PublishOptions;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The one access decision: every subscribe, publish, history and presence request, from every
 * transport, asks here with the caller's {@link Identity} and gets the same answer. A refusal is a
 * {@link ProtocolException} ({@link ErrorCode#UNAUTHORIZED} when a token would help,
 * {@link ErrorCode#FORBIDDEN} when it would not), which each transport answers in its own way.
 *
 * <p>A channel with {@code #} is user-limited (as in Centrifugo): {@code user:#42} only for user
 * {@code 42}, {@code dialog:#42,43} for users 42 and 43, whatever the namespace says.
 */
public final class ChannelAccess implements ChannelSettings {

    private static final PublishOptions NOTHING_KEPT = new PublishOptions(0, java.time.Duration.ofSeconds(1));

    private final Namespace defaults;
    private final Map<String, Namespace> namespaces = new HashMap<>();
    private final Set<String> serverOwned;

    /**
     * @param defaults    the options of channels without a configured namespace
     * @param namespaces  configured namespaces, by {@link Namespace#name()}
     * @param serverOwned channels only the server's own logic publishes to (the lesson's
     *                    {@code chat}, {@code prices}, {@code notifications}): no client publish, ever
     */
    public ChannelAccess(Namespace defaults, Collection<Namespace> namespaces, Set<String> serverOwned) {
        this.defaults = defaults;
        for (Namespace namespace : namespaces) {
            this.namespaces.put(namespace.name(), namespace);
        }
        this.serverOwned = Set.copyOf(serverOwned);
    }

    /** A namespace's history size and age; nothing is kept where its history is off. */
    @Override
    public PublishOptions publishOptions(String channel) {
        Namespace namespace = namespace(channel);
        boolean kept = namespace.history() && namespace.historySize() > 0 && namespace.historyTtl().toMillis() > 0;
        return kept ? new PublishOptions(namespace.historySize(), namespace.historyTtl()) : NOTHING_KEPT;
    }

    @Override
    public boolean joinLeave(String channel) {
        return namespace(channel).joinLeave();
    }

    /** The options that apply to {@code channel}. */
    public Namespace namespace(String channel) {
        return namespaces.getOrDefault(Namespace.of(channel), defaults);
    }

    /**
     * May {@code who} subscribe to {@code channel}? {@code granted} is true when the request carried a
     * verified subscription token for exactly this channel and this user.
     *
     * @throws ProtocolException UNAUTHORIZED or FORBIDDEN, saying why
     */
    public void checkSubscribe(Identity who, String channel, boolean granted) {
        checkUserLimit(who, channel);
        if (granted) {
            return;
        }
        switch (namespace(channel).subscribe()) {
            case ANYONE -> { }
            case AUTHENTICATED -> {
                if (!who.authenticated()) {
                    throw new ProtocolException(ErrorCode.UNAUTHORIZED, "channel " + channel + " needs a connection token");
                }
            }
            case TOKEN -> throw new ProtocolException(who.authenticated() ? ErrorCode.FORBIDDEN : ErrorCode.UNAUTHORIZED,
                    "channel " + channel + " needs a subscription token");
        }
    }

    /**
     * May a client of {@code who} publish to {@code channel}? (The server's publish API always may.)
     *
     * @throws ProtocolException FORBIDDEN, saying why
     */
    public void checkClientPublish(Identity who, String channel) {
        if (serverOwned.contains(channel)) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "channel " + channel + " is published by the server only");
        }
        if (!namespace(channel).clientPublish()) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "clients may not publish to " + channel);
        }
        checkUserLimit(who, channel);
    }

    /**
     * May {@code who} read {@code channel}'s history? A subscriber may; anyone else as a subscribe would.
     *
     * @throws ProtocolException UNAUTHORIZED or FORBIDDEN, saying why
     */
    public void checkHistory(Identity who, String channel, boolean subscribed) {
        if (!namespace(channel).history()) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "history is off for " + channel);
        }
        if (!subscribed) {
            checkSubscribe(who, channel, false);
        }
    }

    /**
     * May {@code who} read {@code channel}'s presence? Only its subscribers, where presence is on.
     *
     * @throws ProtocolException FORBIDDEN, saying why
     */
    public void checkPresence(Identity who, String channel, boolean subscribed) {
        if (!namespace(channel).presence()) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "presence is off for " + channel);
        }
        if (!subscribed) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "subscribe to " + channel + " before asking for its presence");
        }
    }

    private static void checkUserLimit(Identity who, String channel) {
        int hash = channel.lastIndexOf('#');
        if (hash < 0) {
            return;
        }
        String[] users = channel.substring(hash + 1).split(",", -1);
        if (!who.authenticated() || !Arrays.asList(users).contains(who.user())) {
            throw new ProtocolException(who.authenticated() ? ErrorCode.FORBIDDEN : ErrorCode.UNAUTHORIZED,
                    "channel " + channel + " is limited to its users");
        }
    }
}
