package io.switchboard.bench.jmh;

import io.switchboard.core.access.Identity;
import io.switchboard.server.auth.TokenVerifier;
import io.switchboard.server.auth.Tokens;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Duration;
import java.util.List;

/**
 * What verifying one HS256 connection token costs the server: the part of a token-carrying
 * handshake that a handshake without a token does not pay (compare with the handshake bench's
 * {@code switchboard} and {@code switchboard+hs256} peers).
 */
@State(Scope.Thread)
public class TokenVerifyBenchmark extends MicroBenchmark {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-bench";

    private TokenVerifier verifier;
    private String token;

    /** One verifier and one token, as a server holds its key and a client presents its token. */
    @Setup
    public void setUp() {
        verifier = TokenVerifier.hmac(SECRET);
        token = Tokens.connection(SECRET, "bench", Duration.ofHours(6), List.of());
    }

    /** Signature, header and claims checked; the identity the handshake would carry. */
    @Benchmark
    public Identity verifyHs256() {
        return verifier.verifyConnection(token);
    }
}
