package io.switchboard.server.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.JWSVerifierFactory;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import io.switchboard.core.ErrorCode;
import io.switchboard.core.ProtocolException;
import io.switchboard.core.access.Identity;
import io.switchboard.core.protocol.Json;

import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
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
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.SecretKeySpec;

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

    /** A token's {@code typ}: absent or {@code JWT} (the library's own {@code JWT} constant is a raw type). */
    private static final DefaultJOSEObjectTypeVerifier<SecurityContext> TYPES =
            new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, null);
    private static final Set<JWSAlgorithm> HMAC = Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);
    private static final Set<JWSAlgorithm> RSA = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512);
    private static final Set<JWSAlgorithm> EC = Set.of(JWSAlgorithm.ES256);
    private static final Set<JWSAlgorithm> PUBLIC = union(RSA, EC);
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    private final JWSKeySelector<SecurityContext> keys;
    private final JWSVerifierFactory verifiers;

    private TokenVerifier(JWSKeySelector<SecurityContext> keys, JWSVerifierFactory verifiers) {
        this.keys = keys;
        this.verifiers = verifiers;
    }

    /** Keys looked up per token (by {@code kid}) in {@code keys}; a verifier made per token. */
    private TokenVerifier(Set<JWSAlgorithm> algorithms, JWKSource<SecurityContext> keys) {
        this(new JWSVerificationKeySelector<>(algorithms, keys), new DefaultJWSVerifierFactory());
    }

    /** Tokens signed with HS256, HS384 or HS512 and {@code secret} (at least 32 bytes, as RFC 7518 asks for HS256). */
    public static TokenVerifier hmac(String secret) {
        byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < 32) {
            throw new IllegalArgumentException("the token secret must be at least 32 bytes (256 bits) long");
        }
        try {
            return fixed(new FixedKey(HMAC, new SecretKeySpec(bytes, "HmacSHA256"), new MACVerifier(bytes)));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable token secret: " + e.getMessage(), e);
        }
    }

    /** Tokens signed with RS256/384/512 (an RSA key) or ES256 (a P-256 key) by the private half of {@code key}. */
    public static TokenVerifier publicKey(PublicKey key) {
        if (key instanceof RSAPublicKey rsa) {
            return fixed(new FixedKey(RSA, rsa, new RSASSAVerifier(rsa)));
        }
        if (key instanceof ECPublicKey ec) {
            try {
                return fixed(new FixedKey(EC, ec, new ECDSAVerifier(ec)));
            } catch (JOSEException e) {
                throw new IllegalArgumentException("unsupported EC key: " + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException("unsupported public key: " + key.getAlgorithm() + " (RSA or EC P-256)");
    }

    private static TokenVerifier fixed(FixedKey key) {
        return new TokenVerifier(key, key);
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
        JWTClaimsSet claims = process(token, "sub");
        if (claims.getClaim("channel") != null) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, "a subscription token is not a connection token");
        }
        try {
            List<String> channels = claims.getStringListClaim("channels");
            Map<String, Object> info = claims.getJSONObjectClaim("info");
            return new Identity(claims.getSubject(), info == null ? null : Json.MAPPER.writeValueAsString(info),
                    expiry(claims), channels);
        } catch (ParseException | JsonProcessingException e) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, "token claims 'channels'' (a list of names) or 'info' (an object) are malformed");
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
        JWTClaimsSet claims = process(token, "sub", "channel");
        if (!claims.getSubject().equals(who.user() == null ? "" : who.user())) {
            throw new ProtocolException(ErrorCode.FORBIDDEN, "the subscription token is for another user");
        }
        if (!(claims.getClaim("channel") instanceof String channel)) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, "the subscription token's 'channel' claim is not a channel name");
        }
        return channel;
    }

    /**
     * The claims of {@code token} once its header, signature and claims all pass: what nimbus's
     * {@code DefaultJWTProcessor} checks, in the same order, with nimbus's header and claims models,
     * key selection and signature verifiers, but the two JSON parts read by Jackson (nimbus's own
     * parser allocates two 2 KiB buffers per token, a quarter of a handshake's garbage).
     */
    private JWTClaimsSet process(String token, String... required) {
        if (token == null || token.isBlank()) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, "the token is empty");
        }
        String jwt = token.trim();
        int headerEnd = jwt.indexOf('.');
        int payloadEnd = headerEnd < 0 ? -1 : jwt.indexOf('.', headerEnd + 1);
        if (payloadEnd < 0 || jwt.indexOf('.', payloadEnd + 1) >= 0) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, "the token is not a signed JWT");
        }
        try {
            Base64URL headerPart = new Base64URL(jwt.substring(0, headerEnd));
            JWSHeader header = header(headerPart);
            JWTClaimsSet claims = JWTClaimsSet.parse(jsonObject(jwt.substring(headerEnd + 1, payloadEnd)));
            TYPES.verify(header.getType(), null);
            if (!signed(header, jwt.substring(0, payloadEnd).getBytes(StandardCharsets.US_ASCII),
                    new Base64URL(jwt.substring(payloadEnd + 1)))) {
                throw new BadJOSEException("no key of this kind signed it");
            }
            checkClaims(claims, required);
            return claims;
        } catch (ParseException e) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, "the token is not a signed JWT");
        } catch (BadJOSEException e) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, "the token's signature or algorithm is not accepted");
        } catch (JOSEException e) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, "the token could not be verified");
        }
    }

    /** The header of a signed JWT; {@code alg: none} or a non-signature {@code alg} is an unaccepted algorithm. */
    private static JWSHeader header(Base64URL part) throws ParseException, BadJOSEException {
        Map<String, Object> json = jsonObject(part.toString());
        try {
            return JWSHeader.parse(json, part);
        } catch (ParseException e) {
            throw new BadJOSEException("not a JWS header: " + e.getMessage());
        }
    }

    /** Whether a key of this verifier's kind for {@code header}'s {@code alg} (and {@code kid}) made {@code signature}. */
    private boolean signed(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
        for (Key key : keys.selectJWSKeys(header, null)) {
            if (verifiers.createJWSVerifier(header, key).verify(header, signingInput, signature)) {
                return true;
            }
        }
        return false;
    }

    /** A base64url part of a JWT that must be a JSON object (UTF-8, RFC 7519 section 7.2). */
    private static Map<String, Object> jsonObject(String base64url) throws ParseException {
        try {
            Map<String, Object> object = Json.MAPPER.readValue(new String(Base64.getUrlDecoder().decode(base64url),
                    StandardCharsets.UTF_8), JSON_OBJECT);
            if (object != null) {
                return object;
            }
        } catch (IllegalArgumentException | JsonProcessingException e) {
            // not base64url, or not a JSON object
        }
        throw new ParseException("not a base64url-encoded JSON object", 0);
    }

    private static Instant expiry(JWTClaimsSet claims) {
        Date exp = claims.getExpirationTime();
        return exp == null ? null : exp.toInstant();
    }

    /**
     * The checks of nimbus's {@code DefaultJWTClaimsVerifier} that apply here, without its per-token
     * sets: the {@code required} claims are present, {@code exp} has not passed and {@code nbf} has,
     * both within {@value #CLOCK_SKEW_SECONDS} s of clock skew.
     */
    private static void checkClaims(JWTClaimsSet claims, String... required) {
        for (String name : required) {
            if (claims.getClaim(name) == null) {
                throw new ProtocolException(ErrorCode.UNAUTHORIZED, "the token's claims are not acceptable: '" + name + "' is missing");
            }
        }
        long now = System.currentTimeMillis();
        long skew = TimeUnit.SECONDS.toMillis(CLOCK_SKEW_SECONDS);
        Date exp = claims.getExpirationTime();
        if (exp != null && now > exp.getTime() + skew) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, "the token has expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now + skew < nbf.getTime()) {
            throw new ProtocolException(ErrorCode.UNAUTHORIZED, "the token's claims are not acceptable: it is not valid before "
                    + nbf.toInstant());
        }
    }

    private static Set<JWSAlgorithm> union(Set<JWSAlgorithm> a, Set<JWSAlgorithm> b) {
        java.util.HashSet<JWSAlgorithm> all = new java.util.HashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }

    /**
     * One key known at start (a secret or a public key) and its verifier, made once: selecting the key
     * and building a verifier for every token cost more than checking its signature. The verifiers are
     * stateless, so one serves every event loop. A token whose {@code alg} is not of this key's kind
     * finds no key and is refused.
     */
    private record FixedKey(Set<JWSAlgorithm> algorithms, Key key, JWSVerifier verifier)
            implements JWSKeySelector<SecurityContext>, JWSVerifierFactory {

        @Override
        public List<Key> selectJWSKeys(JWSHeader header, SecurityContext context) {
            return algorithms.contains(header.getAlgorithm()) ? List.of(key) : List.of();
        }

        @Override
        public JWSVerifier createJWSVerifier(JWSHeader header, Key candidate) throws JOSEException {
            if (candidate != key || !algorithms.contains(header.getAlgorithm())) {
                throw new JOSEException("no verifier for " + header.getAlgorithm());
            }
            return verifier;
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return algorithms;
        }

        @Override
        public JCAContext getJCAContext() {
            return verifier.getJCAContext();
        }
    }
}
