package io.switchboard.cli;

import io.switchboard.core.access.Identity;
import io.switchboard.server.auth.TokenVerifier;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code switchboard token} prints tokens the server accepts. */
class TokenCommandTest {

    private static final String SECRET = "a-development-secret-of-32-bytes!";

    /** Runs {@code switchboard ARGS} with {@code env} as the environment; returns stdout (the token). */
    private static String run(Map<String, String> env, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setDefaultValueProvider(new ConfigDefaults(env, null));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream saved = System.out;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            StringWriter err = new StringWriter();
            cli.setErr(new PrintWriter(err));
            int status = cli.execute(args);
            assertThat(status).as("exit status; stderr: %s", err).isZero();
        } finally {
            System.setOut(saved);
        }
        return out.toString(java.nio.charset.StandardCharsets.UTF_8).trim();
    }

    @Test
    void mintsAConnectionTokenTheServerVerifiesWithTheSameSecret() {
        String token = run(Map.of(), "token", "--user", "alice", "--ttl", "10m", "--channel", "news", "--token-secret", SECRET);

        Identity alice = TokenVerifier.hmac(SECRET).verifyConnection(token);
        assertThat(alice.user()).isEqualTo("alice");
        assertThat(alice.channels()).containsExactly("news");
        assertThat(alice.expiresAt()).isBetween(Instant.now().plus(Duration.ofMinutes(9)), Instant.now().plus(Duration.ofMinutes(11)));
    }

    @Test
    void takesTheSecretFromTheEnvironmentAndMintsSubscriptionTokens() {
        String token = run(Map.of("SWITCHBOARD_TOKEN_SECRET", SECRET), "token", "--user", "bob", "--subscription", "private:plans");

        TokenVerifier.hmac(SECRET).verifySubscription(token, "private:plans", Identity.user("bob"));
    }

    @Test
    void refusesToMintWithoutASecret() {
        CommandLine cli = new CommandLine(new Main());
        cli.setDefaultValueProvider(new ConfigDefaults(Map.of(), null));
        assertThat(cli.execute("token", "--user", "alice")).isEqualTo(2);
    }
}
