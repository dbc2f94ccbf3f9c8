package io.switchboard.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * One Lua script, run by its SHA-1 ({@code EVALSHA}); a server that does not know it yet (first
 * use, a restart, a failover) gets the source once through {@code EVAL}, which also caches it.
 */
final class Script<T> {

    private final String source;
    private final String sha;
    private final ScriptOutputType output;

    /** The script made of {@code resources} (files beside this class, joined in order), replying {@code output}. */
    Script(ScriptOutputType output, String... resources) {
        StringBuilder text = new StringBuilder();
        for (String resource : resources) {
            try (InputStream in = Script.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing script " + resource);
                }
                text.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        this.source = text.toString();
        this.sha = sha1(source);
        this.output = output;
    }

    /** Runs the script on the node owning {@code keys} (all of one channel's hash tag); completes with its reply. */
    CompletionStage<T> run(RedisLink link, String[] keys, String... args) {
        RedisClusterAsyncCommands<String, String> redis = link.commands();
        CompletionStage<T> reply = redis.<T>evalsha(sha, output, keys, args)
                .exceptionallyCompose(failure -> {
                    Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                    if (cause instanceof RedisNoScriptException) {
                        CompletionStage<T> evaluated = redis.<T>eval(source, output, keys, args);
                        link.flush();
                        return evaluated;
                    }
                    return CompletableFuture.failedFuture(cause);
                });
        link.flush();
        return reply;
    }

    private static String sha1(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JVM", e);
        }
    }
}
