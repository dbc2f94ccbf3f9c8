package io.switchboard.core.access;

import java.time.Instant;
import java.util.List;

/**
 * Who is on the other end of a connection or request: anonymous, or the user a verified token
 * names. Everything here comes from the token, never from what a client claims about itself.
 *
 * @param user      the token's {@code sub}, or null when anonymous
 * @param info      the token's {@code info} claim as JSON text (shown in presence), or null
 * @param expiresAt when the token stops being valid ({@code exp}), or null for no expiry
 * @param channels  channels the token subscribes the connection to at connect (its {@code channels} claim)
 */
public record Identity(String user, String info, Instant expiresAt, List<String> channels) {

    /** A client that presented no token. */
    public static final Identity ANONYMOUS = new Identity(null, null, null, List.of());

    public Identity {
        channels = channels == null ? List.of() : List.copyOf(channels);
    }

    /** A verified user with no expiry, info or channels (server-side and test use). */
    public static Identity user(String user) {
        return new Identity(user, null, null, List.of());
    }

    /** True when a verified token names a user. */
    public boolean authenticated() {
        return user != null;
    }

    /** True when the token's {@code exp} has passed at {@code now}. */
    public boolean expiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
