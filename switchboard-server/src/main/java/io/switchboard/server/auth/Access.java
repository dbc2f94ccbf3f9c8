package io.switchboard.server.auth;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchboard.core.ErrorCode;
import io.switchboard.core.ProtocolException;
import io.switchboard.core.access.ChannelAccess;
import io.switchboard.core.access.Identity;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who a request is and what it may do, the same way for every transport: the identity comes from a
 * verified connection token ({@code Authorization: Bearer}, {@code ?token=}, or the {@code /ws}
 * {@code connect} command), and every channel operation is decided by the one {@link ChannelAccess}.
 * Without a token verifier every client is anonymous; with one, anonymous clients are refused unless
 * allowed.
 */
public final class Access {

    /**
     * How a stream whose connection token expires unrefreshed ends, on every transport: {@code /ws}
     * closes with this code (IANA's 3000, "Unauthorized") and {@link #TOKEN_EXPIRED_REASON}; an event
     * stream sends them in its last event.
     */
    public static final int TOKEN_EXPIRED = 3000;
    /** The reason that goes with {@link #TOKEN_EXPIRED}. */
    public static final String TOKEN_EXPIRED_REASON = "token expired";

    /** The query parameter of SSE and polling requests that carries a subscription token (once per private channel). */
    public static final String SUBSCRIPTION_TOKEN = "sub_token";

    private final TokenVerifier tokens;
    private final boolean anonymous;
    private final ChannelAccess channels;

    /**
     * @param tokens    verifies connection and subscription tokens; null: no tokens, every client anonymous
     * @param anonymous whether clients without a token are served (forced true without a verifier)
     * @param channels  the channel rules
     */
    public Access(TokenVerifier tokens, boolean anonymous, ChannelAccess channels) {
        this.tokens = tokens;
        this.anonymous = tokens == null || anonymous;
        this.channels = channels;
    }

    /** The channel rules. */
    public ChannelAccess channels() {
        return channels;
    }

    /**
     * The identity of an HTTP request or WebSocket handshake: its bearer token (header, else
     * {@code ?token=}), or anonymous where that is allowed.
     *
     * @throws ProtocolException UNAUTHORIZED for a bad token, or no token where one is required
     */
    public Identity identify(HttpRequest request) {
        return identify(request, null);
    }

    /** {@link #identify(HttpRequest)} with the request's query parameters, when the caller decoded them. */
    private Identity identify(HttpRequest request, Map<String, List<String>> query) {
        String token = bearer(request, query);
        if (token == null) {
            if (!anonymous) {
                throw new ProtocolException(ErrorCode.UNAUTHORIZED, "a connection token is required (Authorization: Bearer, or ?token=)");
            }
            return Identity.ANONYMOUS;
        }
        return verify(token);
    }

    /**
     * The identity a WebSocket handshake's token proves, or anonymous when it presents none: such a
     * client may still send a {@code connect} command with one.
     *
     * @throws ProtocolException UNAUTHORIZED for a bad token
     */
    public Identity identifyPresented(HttpRequest request) {
        String token = bearer(request, null);
        return token == null ? Identity.ANONYMOUS : verify(token);
    }

    /**
     * The identity a connection token proves.
     *
     * @throws ProtocolException UNAUTHORIZED when the token is bad, or tokens are not configured
     */
    public Identity verify(String token) {
        if (tokens == null) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, "this server verifies no tokens (start it with --token-secret, --token-public-key or --token-jwks-url)");
        }
        Identity identity = tokens.verifyConnection(token);
        if (identity.expiredAt(Instant.now())) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, "the token has expired");
        }
        return identity;
    }

    /**
     * May {@code who} subscribe to {@code channel}, with {@code subscriptionToken} (may be null)?
     *
     * @throws ProtocolException UNAUTHORIZED or FORBIDDEN, saying why
     */
    public void checkSubscribe(Identity who, String channel, String subscriptionToken) {
        checkIdentified(who);
        boolean granted = false;
        if (subscriptionToken != null) {
            if (tokens == null) {
                throw new ProtocolException(ErrorCode.UNAUTHORIZED, "this server verifies no tokens");
            }
            tokens.verifySubscription(subscriptionToken, channel, who);
            granted = true;
        }
        channels.checkSubscribe(who, channel, granted);
    }

    /**
     * Who an HTTP request is (see {@link #identify}), checked to subscribe to each of {@code names}:
     * the SSE, polling and {@code /chat} requests. The request's subscription tokens (its
     * {@value #SUBSCRIPTION_TOKEN} parameters, one per private channel) must each be good, for the
     * request's user, and name one of {@code names}; each opens its channel and nothing else.
     *
     * @throws ProtocolException UNAUTHORIZED or FORBIDDEN, saying why
     */
    public Identity checkSubscribe(HttpRequest request, Collection<String> names) {
        Map<String, List<String>> query = new QueryStringDecoder(request.uri()).parameters();
        Identity who = identify(request, query);
        checkIdentified(who);
        Set<String> granted = new HashSet<>();
        for (String token : query.getOrDefault(SUBSCRIPTION_TOKEN, List.of())) {
            if (tokens == null) {
                throw new ProtocolException(ErrorCode.UNAUTHORIZED, "this server verifies no tokens");
            }
            String channel = tokens.subscriptionChannel(token, who);
            if (!names.contains(channel)) {
                throw new ProtocolException(ErrorCode.FORBIDDEN, "a subscription token is for a channel the request does not name");
            }
            granted.add(channel);
        }
        for (String channel : names) {
            channels.checkSubscribe(who, channel, granted.contains(channel));
        }
        return who;
    }

    /** Refuses an anonymous client where anonymous clients are not served. */
    public void checkIdentified(Identity who) {
        if (!who.authenticated() && !anonymous) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, "send a connection token first ({\"id\":1,\"connect\":{\"token\":\"...\"}})");
        }
    }

    /** The {@code Authorization: Bearer} token, else {@code ?token=} ({@code query} decoded here when null). */
    private static String bearer(HttpRequest request, Map<String, List<String>> query) {
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return header.substring(7).trim();
        }
        List<String> tokens = (query != null ? query : new QueryStringDecoder(request.uri()).parameters()).get("token");
        return tokens == null || tokens.isEmpty() ? null : tokens.get(0);
    }
}
