package io.switchboard.server.auth;

import io.switchboard.core.access.Namespace;
import io.switchboard.server.ServerConfig;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Tokens for tests of what a client with them observes: one secret, and a server that verifies it. */
public final class TestTokens {

    /** The secret the tokens are signed with and the servers verify. */
    public static final String SECRET = "a-development-secret-of-32-bytes!";

    private TestTokens() {
    }

    /** {@code base} verifying {@link #SECRET}, with the namespace {@code private} open only to subscription tokens. */
    public static ServerConfig withPrivateChannels(ServerConfig base) {
        Namespace defaults = Namespace.open("", 100, Duration.ofMinutes(10));
        return base.tokens(TokenVerifier.hmac(SECRET))
                .namespaces(List.of(defaults, defaults.withName("private").withSubscribe(Namespace.SubscribePolicy.TOKEN)));
    }

    /** A connection token for {@code user}, valid for {@code ttl}. */
    public static String connection(String user, Duration ttl) {
        return Tokens.connection(SECRET, user, ttl, List.of());
    }

    /** A subscription token letting {@code user} subscribe to {@code channel}, valid for 5 minutes. */
    public static String subscription(String user, String channel) {
        return Tokens.subscription(SECRET, user, channel, Duration.ofMinutes(5));
    }

    /** When {@code connectionToken} expires, as the server reads it (its {@code exp}, to the second). */
    public static Instant expiry(String connectionToken) {
        return TokenVerifier.hmac(SECRET).verifyConnection(connectionToken).expiresAt();
    }
}
