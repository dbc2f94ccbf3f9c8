package io.switchboard.bench.peer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.switchboard.server.auth.Tokens;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/**
 * Keys made fresh for one bench process, and the connection tokens signed with them: an HMAC
 * secret for HS256 and an RSA key pair for RS256, whose public half a token-verifying peer reads
 * from a PEM file in the temp directory.
 */
final class BenchTokens {

    /** The kinds of connection token a peer can verify. */
    enum Kind {
        HS256, RS256
    }

    /** Longer than any bench run; the server checks {@code exp} like any other token's. */
    private static final Duration TTL = Duration.ofHours(6);
    private static final String USER = "bench";

    private static BenchTokens shared;

    private final String secret;
    private final Path publicKeyPem;
    private final String hs256;
    private final String rs256;

    private BenchTokens() throws IOException, NoSuchAlgorithmException, JOSEException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair rsa = generator.generateKeyPair();
        publicKeyPem = Files.createTempFile("switchboard-bench-rs256-", ".pem");
        publicKeyPem.toFile().deleteOnExit();
        Files.writeString(publicKeyPem, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(rsa.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        hs256 = Tokens.connection(secret, USER, TTL, List.of());
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), new JWTClaimsSet.Builder().subject(USER)
                .issueTime(new Date()).expirationTime(Date.from(Instant.now().plus(TTL))).build());
        jwt.sign(new RSASSASigner(rsa.getPrivate()));
        rs256 = jwt.serialize();
    }

    /** This process's keys, made on first use. */
    static synchronized BenchTokens shared() {
        if (shared == null) {
            try {
                shared = new BenchTokens();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException | JOSEException e) {
                throw new IllegalStateException("cannot make the bench's token keys", e);
            }
        }
        return shared;
    }

    /** The {@link SwitchboardPeerMain} properties that make a server verify {@code kind} tokens and still serve anonymous clients. */
    List<String> serverProperties(Kind kind) {
        String key = switch (kind) {
            case HS256 -> "-Dswitchboard.tokenSecret=" + secret;
            case RS256 -> "-Dswitchboard.tokenPublicKey=" + publicKeyPem;
        };
        return List.of(key, "-Dswitchboard.anonymous=true");
    }

    /** A connection token for user "bench" that a server started with {@link #serverProperties(Kind)} accepts. */
    String token(Kind kind) {
        return switch (kind) {
            case HS256 -> hs256;
            case RS256 -> rs256;
        };
    }
}
