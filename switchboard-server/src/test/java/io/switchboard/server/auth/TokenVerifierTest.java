package io.switchboard.server.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.switchboard.core.ErrorCode;
import io.switchboard.core.ProtocolException;
import io.switchboard.core.access.Identity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenVerifierTest {

    private static final String SECRET = "a-development-secret-of-32-bytes!";

    private static JWTClaimsSet.Builder claims(String user, Duration ttl) {
        return new JWTClaimsSet.Builder().subject(user).expirationTime(Date.from(Instant.now().plus(ttl)));
    }

    private static String sign(JWSAlgorithm algorithm, JWSSigner signer, JWTClaimsSet claims, String kid) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static KeyPair rsa() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static void assertUnauthorized(Runnable verify, String because) {
        assertThatThrownBy(verify::run).isInstanceOfSatisfying(ProtocolException.class, refusal -> {
            assertThat(refusal.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
            assertThat(refusal.getMessage()).contains(because);
        });
    }

    @Test
    void anHs256TokenFromTheSecretProvesItsUserInfoAndChannels() throws Exception {
        String token = sign(JWSAlgorithm.HS256, new MACSigner(SECRET), claims("alice", Duration.ofMinutes(5))
                .claim("info", Map.of("name", "Alice")).claim("channels", List.of("user:#alice")).build(), null);

        Identity alice = TokenVerifier.hmac(SECRET).verifyConnection(token);

        assertThat(alice.user()).isEqualTo("alice");
        assertThat(alice.info()).isEqualTo("{\"name\":\"Alice\"}");
        assertThat(alice.channels()).containsExactly("user:#alice");
        assertThat(alice.expiresAt()).isAfter(Instant.now());
    }

    @Test
    void hs384AndHs512AreAcceptedToo() throws Exception {
        String secret = SECRET + SECRET;
        for (JWSAlgorithm algorithm : List.of(JWSAlgorithm.HS384, JWSAlgorithm.HS512)) {
            String token = sign(algorithm, new MACSigner(secret), claims("bob", Duration.ofMinutes(1)).build(), null);
            assertThat(TokenVerifier.hmac(secret).verifyConnection(token).user()).isEqualTo("bob");
        }
    }

    @Test
    void refusesAnUnsignedAlgNoneToken() {
        String token = new PlainJWT(new PlainHeader(), claims("mallory", Duration.ofMinutes(5)).build()).serialize();
        assertUnauthorized(() -> TokenVerifier.hmac(SECRET).verifyConnection(token), "algorithm");
    }

    @Test
    void refusesATokenSignedWithAnotherSecret() throws Exception {
        String token = sign(JWSAlgorithm.HS256, new MACSigner("another-secret-that-is-32-bytes!!"), claims("mallory", Duration.ofMinutes(5)).build(), null);
        assertUnauthorized(() -> TokenVerifier.hmac(SECRET).verifyConnection(token), "signature");
    }

    @Test
    void refusesAnExpiredToken() throws Exception {
        String token = sign(JWSAlgorithm.HS256, new MACSigner(SECRET), claims("alice", Duration.ofMinutes(-1)).build(), null);
        assertUnauthorized(() -> TokenVerifier.hmac(SECRET).verifyConnection(token), "expired");
    }

    @Test
    void refusesATokenBeforeItsNotBeforeTimeButAllowsTheClockSkew() throws Exception {
        String later = sign(JWSAlgorithm.HS256, new MACSigner(SECRET), claims("alice", Duration.ofMinutes(5))
                .notBeforeTime(Date.from(Instant.now().plusSeconds(60))).build(), null);
        assertUnauthorized(() -> TokenVerifier.hmac(SECRET).verifyConnection(later), "not valid before");

        String withinSkew = sign(JWSAlgorithm.HS256, new MACSigner(SECRET), claims("alice", Duration.ofMinutes(5))
                .notBeforeTime(Date.from(Instant.now().plusSeconds(2))).build(), null);
        assertThat(TokenVerifier.hmac(SECRET).verifyConnection(withinSkew).user()).isEqualTo("alice");
    }

    @Test
    void refusesATokenWithoutSub() throws Exception {
        String token = sign(JWSAlgorithm.HS256, new MACSigner(SECRET),
                new JWTClaimsSet.Builder().expirationTime(Date.from(Instant.now().plusSeconds(60))).build(), null);
        assertUnauthorized(() -> TokenVerifier.hmac(SECRET).verifyConnection(token), "claims");
    }

    @Test
    void refusesASecretTooShortForHs256() {
        assertThatThrownBy(() -> TokenVerifier.hmac("short")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
    }

    @Test
    void anRs256TokenIsVerifiedWithThePemPublicKey(@TempDir Path dir) throws Exception {
        KeyPair keys = rsa();
        Path pem = dir.resolve("public.pem");
        Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        String token = sign(JWSAlgorithm.RS256, new RSASSASigner((RSAPrivateKey) keys.getPrivate()), claims("carol", Duration.ofMinutes(5)).build(), null);

        assertThat(TokenVerifier.publicKeyPem(pem).verifyConnection(token).user()).isEqualTo("carol");
    }

    @Test
    void refusesAnHmacTokenKeyedWithThePublicKeyItselfTheAlgorithmConfusionAttack() throws Exception {
        KeyPair keys = rsa();
        // The attacker knows the public key and uses its bytes as an HMAC secret.
        String token = sign(JWSAlgorithm.HS256, new MACSigner(keys.getPublic().getEncoded()), claims("mallory", Duration.ofMinutes(5)).build(), null);
        assertUnauthorized(() -> TokenVerifier.publicKey(keys.getPublic()).verifyConnection(token), "algorithm");
    }

    @Test
    void anEs256TokenIsVerifiedWithTheEcPublicKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        String token = sign(JWSAlgorithm.ES256, new ECDSASigner((ECPrivateKey) keys.getPrivate()), claims("dave", Duration.ofMinutes(5)).build(), null);

        assertThat(TokenVerifier.publicKey(keys.getPublic()).verifyConnection(token).user()).isEqualTo("dave");
    }

    @Test
    void aJwksUrlIsFetchedAgainWhenATokenNamesAnUnknownKid() throws Exception {
        KeyPair first = rsa();
        KeyPair second = rsa();
        AtomicReference<JWKSet> published = new AtomicReference<>(new JWKSet(new RSAKey.Builder((RSAPublicKey) first.getPublic()).keyID("k1").build()));
        AtomicInteger fetches = new AtomicInteger();
        HttpServer jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwks.createContext("/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = published.get().toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
        try {
            TokenVerifier verifier = TokenVerifier.jwks(new URL("http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json"));
            String byFirst = sign(JWSAlgorithm.RS256, new RSASSASigner((RSAPrivateKey) first.getPrivate()), claims("erin", Duration.ofMinutes(5)).build(), "k1");
            assertThat(verifier.verifyConnection(byFirst).user()).isEqualTo("erin");
            assertThat(verifier.verifyConnection(byFirst).user()).isEqualTo("erin");
            assertThat(fetches).as("the set is cached").hasValue(1);

            // The issuer rotates to a new key: a token with the new kid makes the verifier fetch again.
            published.set(new JWKSet(List.of(new RSAKey.Builder((RSAPublicKey) first.getPublic()).keyID("k1").build(),
                    new RSAKey.Builder((RSAPublicKey) second.getPublic()).keyID("k2").build())));
            String bySecond = sign(JWSAlgorithm.RS256, new RSASSASigner((RSAPrivateKey) second.getPrivate()), claims("frank", Duration.ofMinutes(5)).build(), "k2");
            assertThat(verifier.verifyConnection(bySecond).user()).isEqualTo("frank");
            assertThat(fetches).hasValue(2);
        } finally {
            jwks.stop(0);
        }
    }

    @Test
    void aSubscriptionTokenOpensItsChannelForItsUserAndNothingElse() {
        TokenVerifier verifier = TokenVerifier.hmac(SECRET);
        String token = Tokens.subscription(SECRET, "alice", "private:plans", Duration.ofMinutes(5));
        Identity alice = Identity.user("alice");

        verifier.verifySubscription(token, "private:plans", alice);
        assertThatThrownBy(() -> verifier.verifySubscription(token, "private:other", alice))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        assertThatThrownBy(() -> verifier.verifySubscription(token, "private:plans", Identity.user("bob")))
                .isInstanceOfSatisfying(ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        assertUnauthorized(() -> verifier.verifyConnection(token), "subscription token");
    }

    @Test
    void mintedConnectionTokensVerify() {
        String token = Tokens.connection(SECRET, "alice", Duration.ofHours(1), List.of("news"));
        Identity alice = TokenVerifier.hmac(SECRET).verifyConnection(token);
        assertThat(alice.user()).isEqualTo("alice");
        assertThat(alice.channels()).containsExactly("news");
    }
}
