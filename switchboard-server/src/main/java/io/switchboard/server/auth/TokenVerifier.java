package io.switchboard.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import io.switchboard.core.ErrorCode;
import io.switchboard.core.ProtocolException;
import io.switchboard.core.access.Identity;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Verifies the JWTs clients present: connection tokens (who the client is) and subscription tokens
 * (that a user may read one channel). Each verifier accepts only the algorithms of its key's kind,
 * so {@code alg: none} and algorithm confusion (an HMAC token "signed" with a public key) are refused
 * before any signature is checked. {@code exp} is enforced (with {@value #CLOCK_SKEW_SECONDS} s of
 * clock skew); a token without {@code exp} does not expire.
 */
public final class TokenVerifier {

    /** How far clocks may disagree between the token's issuer and this server. */
    static final int CLOCK_SKEW_SECONDS = 5;

    private static final Set<JWSAlgorithm> HMAC = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);
    private static final Set<JWSAlgorithm> RSA = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512);
    private static final Set<JWSAlgorithm> EC = Set.of(JWSAlgorithm.ES256);
    private static final Set<JWSAlgorithm> PUBLIC = union(RSA, EC);

    private final DefaultJWTProcessor<SecurityContext> connections;
    private final DefaultJWTProcessor<SecurityContext> subscriptions;

    private TokenVerifier(Set<JWSAlgorithm> algorithms, JWKSource<SecurityContext> keys) {
        this.connections = processor(algorithms, keys, Set.of("sub"));
        this.subscriptions = processor(algorithms, keys, Set.of("sub", "channel"));
    }

    /** Tokens signed with HS256, HS384 or HS512 and {@code secret} (at least 32 bytes, as RFC 7518 asks for HS256). */
    public static TokenVerifier hmac(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            throw new IllegalArgumentException("the token secret must be at least 32 bytes (256 bits) long");
        }
        return new TokenVerifier(HMAC, new ImmutableSecret<>(bytes));
    }

    /** Tokens signed with RS256/384/512 (an RSA key) or ES256 (a P-256 key) by the private half of {@code key}. */
    public static TokenVerifier publicKey(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return new TokenVerifier(RSA, new ImmutableJWKSet<>(new JWKSet(new RSAKey.Builder(rsa).build())));
        }
        if (key instanceof ECPublicKey ec) {
            return new TokenVerifier(EC, new ImmutableJWKSet<>(new JWKSet(new ECKey.Builder(Curve.forECParameterSpec(ec.getParams()), ec).build())));
        }
        throw new IllegalArgumentException("unsupported public key: " + key.getAlgorithm() + " (RSA or EC P-256)");
    }

    /** Like {@link #publicKey(PublicKey)}, reading a PEM {@code -----BEGIN PUBLIC KEY-----} file. */
    public static TokenVerifier publicKeyPem(Path pem) throws IOException {
        String text = Files.readString(pem, StandardCharsets.US_ASCII);
        String base64 = text.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        X509EncodedKeySpec spec = new X509EncodedKeySpec(Base64.getDecoder().decode(base64));
        for (String kind : List.of("RSA", "EC")) {
            try {
                return publicKey(KeyFactory.getInstance(kind).generatePublic(spec));
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException notThisKind) {
                // try the next kind
            }
        }
        throw new IOException(pem + " holds no RSA or EC public key in PEM (-----BEGIN PUBLIC KEY-----)");
    }

    /**
     * Tokens signed by any key of the JWK set at {@code url} (RS256/384/512, ES256). The set is cached,
     * and fetched again (rate-limited) when a token names a {@code kid} the cache does not have.
     */
    public static TokenVerifier jwks(URL url) {
        return new TokenVerifier(PUBLIC, JWKSourceBuilder.create(url).retrying(true).build());
    }

    /**
     * The identity a connection token proves.
     *
     * @throws ProtocolException {@link ErrorCode#UNAUTHORIZED} saying what is wrong with the token
     */
    public Identity verifyConnection(String token) {
        JWTClaimsSet claims = process(connections, token);
        if (claims.getClaim("channel") != null) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, "a subscription token is not a connection token");
        }
        try {
            List<String> channels = claims.getStringListClaim("channels");
            Map<String, Object> info = claims.getJSONObjectClaim("info");
            return new Identity(claims.getSubject(), info == null ? null : com.nimbusds.jose.util.JSONObjectUtils.toJSONString(info),
                    expiry(claims), channels);
        } catch (ParseException e) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, "token claims 'channels' (a list of names) or 'info' (an object) are malformed");
        }
    }

    /**
     * Checks a subscription token: valid, for {@code channel}, and for {@code who}'s user.
     *
     * @throws ProtocolException UNAUTHORIZED for a bad token, FORBIDDEN for someone else's or another channel's
     */
    public void verifySubscription(String token, String channel, Identity who) {
        if (!channel.equals(subscriptionChannel(token, who))) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "the subscription token is for another channel");
        }
    }

    /**
     * Checks a subscription token for {@code who}'s user and returns the one channel it opens (its
     * {@code channel} claim): how HTTP requests, which name their channels apart from their tokens,
     * pair each token with its channel.
     *
     * @throws ProtocolException UNAUTHORIZED for a bad token, FORBIDDEN for someone else's
     */
    public String subscriptionChannel(String token, Identity who) {
        JWTClaimsSet claims = process(subscriptions, token);
        if (!claims.getSubject().equals(who.user() == null ? "" : who.user())) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "the subscription token is for another user");
        }
        if (!(claims.getClaim("channel") instanceof String channel)) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, "the subscription token's 'channel' claim is not a channel name");
        }
        return channel;
    }

    private static JWTClaimsSet process(DefaultJWTProcessor<SecurityContext> processor, String token) {
        if (token == null || token.isBlank()) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, "the token is empty");
        }
        try {
            return processor.process(token.trim(), null);
        } catch (ExpiredJWTException e) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, "the token has expired");
        } catch (BadJWTException e) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, "the token's claims are not acceptable: " + e.getMessage());
        } catch (ParseException e) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, "the token is not a signed JWT");
        } catch (BadJOSEException e) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, "the token's signature or algorithm is not accepted");
        } catch (JOSEException e) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, "the token could not be verified");
        }
    }

    private static Instant expiry(JWTClaimsSet claims) {
        Date exp = claims.getExpirationTime();
        return exp == null ? null : exp.toInstant();
    }

    private static DefaultJWTProcessor<SecurityContext> processor(Set<JWSAlgorithm> algorithms, JWKSource<SecurityContext> keys,
                                                                   Set<String> required) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(null, required);
        claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
        return processor;
    }

    private static Set<JWSAlgorithm> union(Set<JWSAlgorithm> a, Set<JWSAlgorithm> b) {
        java.util.HashSet<JWSAlgorithm> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
