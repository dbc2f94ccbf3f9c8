package io.switchboard.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Mints HS256 tokens from the server's secret, for development ({@code switchboard token}) and
 * tests. Production tokens come from the application's backend, which holds the same secret or
 * the private key.
 */
public final class Tokens {

    private Tokens() {
    }

    /** A connection token for {@code user}, valid for {@code ttl}, subscribing to {@code channels} at connect. */
    public static String connection(String secret, String user, Duration ttl, List<String> channels) {
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().subject(user).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plus(ttl)));
        if (!channels.isEmpty()) {
            claims.claim("channels", channels);
        }
        return sign(secret, claims.build());
    }

    /** A subscription token letting {@code user} subscribe to {@code channel} for {@code ttl}. */
    public static String subscription(String secret, String user, String channel, Duration ttl) {
        return sign(secret, new JWTClaimsSet.Builder().subject(user).claim("channel", channel).issueTime(new Date())
                .expirationTime(Date.from(Instant.now().plus(ttl))).build());
    }

    private static String sign(String secret, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign with this secret: " + e.getMessage(), e);
        }
    }
}
