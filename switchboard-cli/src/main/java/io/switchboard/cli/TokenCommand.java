package io.switchboard.cli;

import io.switchboard.server.auth.Tokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code switchboard token}: mints a development token from the server's HMAC secret. */
@Command(name = "token",
        mixinStandardHelpOptions = true,
        description = {
            "Prints an HS256 token signed with the server's --token-secret (also SWITCHBOARD_TOKEN_SECRET or token-secret",
            "in the config file): a connection token for --user, or with --subscription a subscription token for one channel.",
            "For development: in production the application's backend mints tokens with the same secret or its private key."
        },
        sortOptions = false)
final class TokenCommand implements Callable<Integer> {

    @Option(names = "--user", required = true, description = "The user the token names (its sub claim).")
    String user;

    @Option(names = "--ttl", defaultValue = "1h", converter = DurationConverter.class,
            description = "How long the token is valid (its exp claim) (default: ${DEFAULT-VALUE}).")
    Duration ttl;

    @Option(names = "--channel", paramLabel = "CHANNEL",
            description = "A channel the connection is subscribed to at connect (repeatable; the channels claim).")
    List<String> channels = List.of();

    @Option(names = "--subscription", paramLabel = "CHANNEL",
            description = "Mint a subscription token for this channel instead of a connection token.")
    String subscription;

    @Option(names = "--token-secret", paramLabel = "SECRET", description = "The HMAC secret the server verifies with (32 bytes or more).")
    String secret;

    @Override
    public Integer call() {
        if (secret == null || secret.isBlank()) {
            System.err.println("switchboard token: no secret; pass --token-secret or set SWITCHBOARD_TOKEN_SECRET");
            return 2;
        }
        if (secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
            System.err.println("switchboard token: the secret must be at least 32 bytes long");
            return 2;
        }
        System.out.println(subscription == null
                ? Tokens.connection(secret, user, ttl, channels)
                : Tokens.subscription(secret, user, subscription, ttl));
        return 0;
    }
}
