package io.switchboard.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import io.switchboard.core.Broker;
import io.switchboard.core.BrokerUnavailableException;
import io.switchboard.core.ClientInfo;
import io.switchboard.core.HistoryResult;
import io.switchboard.core.Message;
import io.switchboard.core.PublishOptions;
import io.switchboard.core.StreamPosition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Broker} shared by every node connected to one Redis (standalone or Cluster): offsets,
 * epochs and history live in Redis, so any node serves any channel and any cursor.
 *
 * <p>Per channel {@code c} (prefix {@code p}): {@code p{c}:meta} (epoch, last offset, join counter),
 * {@code p{c}:stream} (a Redis Stream, entry id {@code <offset>-0}), {@code p{c}:presence} and
 * {@code p{c}:presence:expiry}, and the pub/sub channel {@code p{c}}. They share the hash tag
 * {@code {c}}, so on a Cluster each channel lives on one node and its scripts run there.
 *
 * <p>Publishing is one atomic script (offset, append, trim, expiry, announce) in one round trip,
 * pipelined with every other command on one shared connection, the commands of one event-loop turn
 * in one write. Live publications arrive through a separate pub/sub connection subscribed only to
 * the channels this node's hub asked for; that delivery is at-most-once (what is announced while
 * the connection is down is missed; the hub fills such gaps from history). Nothing here blocks a
 * caller: every operation is asynchronous.
 */
public final class RedisBroker implements Broker {

    private static final Logger log = LoggerFactory.getLogger(RedisBroker.class);
    private static final char[] EPOCH_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    /** History and presence ages are capped so that times plus ages stay exact in Lua's doubles. */
    private static final long MAX_AGE_MILLIS = TimeUnit.DAYS.toMillis(3650);

    private static final Script<List<Object>> PUBLISH = new Script<>(ScriptOutputType.MULTI, "publish.lua");
    private static final Script<List<Object>> HISTORY = new Script<>(ScriptOutputType.MULTI, "history.lua");
    private static final Script<Long> PRESENCE_ADD = new Script<>(ScriptOutputType.INTEGER, "presence-expire.lua", "presence-add.lua");
    private static final Script<Long> PRESENCE_REMOVE = new Script<>(ScriptOutputType.INTEGER, "presence-expire.lua", "presence-remove.lua");
    private static final Script<Long> LEASE = new Script<>(ScriptOutputType.INTEGER, "lease.lua");
    private static final Script<List<Object>> PRESENCE_READ = new Script<>(ScriptOutputType.MULTI, "presence-expire.lua", "presence-read.lua");

    private final RedisBrokerConfig config;
    private final String where;
    private final ClientResources resources;
    private final RedisLink redis;
    private final String presenceTtlMillis;
    private final long metaTtlMillis;
    private volatile Listener listener;
    private volatile boolean closed;

    private RedisBroker(RedisBrokerConfig config, RedisURI uri) {
        this.config = config;
        this.where = "Redis at " + uri.getHost() + ":" + uri.getPort();
        this.presenceTtlMillis = Long.toString(Math.min(config.presenceTtl().toMillis(), MAX_AGE_MILLIS));
        this.metaTtlMillis = Math.min(config.streamMetaTtl().toMillis(), MAX_AGE_MILLIS);
        this.resources = DefaultClientResources.builder()
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                // Back within a couple of seconds of Redis returning, not Lettuce's default 30 s.
                .reconnectDelay(() -> Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisLink link;
        try {
            link = RedisLink.connect(uri, resources, config.commandTimeout(), new PubSubListener());
        } catch (RuntimeException e) {
            resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
            throw new BrokerUnavailableException("cannot connect to " + where + ": " + e.getMessage(), e);
        }
        this.redis = link;
    }

    /**
     * Connects to the Redis {@code config} names (blocking while it connects: call at startup) and
     * returns the broker; fails with {@link BrokerUnavailableException} when Redis cannot be reached.
     */
    public static RedisBroker connect(RedisBrokerConfig config) {
        Objects.requireNonNull(config, "config");
        RedisURI uri = RedisURI.create(config.uri());
        return new RedisBroker(config, uri);
    }

    /** Connects with every setting but the URI at its default; see {@link #connect(RedisBrokerConfig)}. */
    public static RedisBroker connect(String uri) {
        return connect(new RedisBrokerConfig(uri));
    }

    @Override
    public Duration presenceTtl() {
        return config.presenceTtl();
    }

    @Override
    public void listen(Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    @Override
    public CompletionStage<Void> subscribe(String channel) {
        return call(() -> redis.subscribe(pubSubChannel(channel)));
    }

    @Override
    public CompletionStage<Void> unsubscribe(String channel) {
        return call(() -> redis.unsubscribe(pubSubChannel(channel)));
    }

    @Override
    public CompletionStage<Message> publish(String channel, String data, String origin, PublishOptions options) {
        Objects.requireNonNull(data, "data");
        String encodedOrigin = Encoding.text(origin);
        long ttl = Math.min(options.historyTtl().toMillis(), MAX_AGE_MILLIS);
        return call(() -> PUBLISH.run(redis, keys(channel, "meta", "stream"),
                data, encodedOrigin, Integer.toString(options.historySize()), Long.toString(Math.max(1, ttl)),
                newEpoch(), Long.toString(Math.max(metaTtlMillis, ttl)), pubSubChannel(channel), redis.publishCommand()))
                .thenApply(reply -> new Message(channel, (Long) reply.get(0), (String) reply.get(1), data, (Long) reply.get(2), origin));
    }

    @Override
    public CompletionStage<Boolean> lease(String name, String holder, Duration ttl) {
        return call(() -> LEASE.run(redis, new String[] {config.keyPrefix() + "lease:{" + name + "}"},
                holder, Long.toString(Math.max(1, ttl.toMillis())))).thenApply(held -> held == 1L);
    }

    @Override
    public CompletionStage<HistoryResult> history(String channel, StreamPosition since, int limit) {
        if (limit < 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("limit must be 0 or more"));
        }
        return call(() -> HISTORY.run(redis, keys(channel, "meta", "stream"),
                since == null ? "-1" : Long.toString(since.offset()), since == null ? "" : since.epoch(),
                Integer.toString(limit), newEpoch(), Long.toString(metaTtlMillis)))
                .thenApply(reply -> {
                    long top = (Long) reply.get(0);
                    String epoch = (String) reply.get(1);
                    boolean complete = (Long) reply.get(2) == 1L;
                    List<?> entries = (List<?>) reply.get(3);
                    List<Message> messages = new ArrayList<>(entries.size());
                    for (Object entry : entries) {
                        messages.add(storedMessage(channel, epoch, (List<?>) entry));
                    }
                    return new HistoryResult(List.copyOf(messages), new StreamPosition(top, epoch), complete);
                });
    }

    @Override
    public CompletionStage<Void> addPresence(String channel, ClientInfo client) {
        return call(() -> PRESENCE_ADD.run(redis, presenceKeys(channel), redis.publishCommand(), pubSubChannel(channel),
                client.clientId(), Encoding.client(client), presenceTtlMillis, Long.toString(metaTtlMillis)))
                .thenApply(joined -> null);
    }

    @Override
    public CompletionStage<Void> removePresence(String channel, ClientInfo client) {
        return call(() -> PRESENCE_REMOVE.run(redis, presenceKeys(channel), redis.publishCommand(), pubSubChannel(channel),
                client.clientId()))
                .thenApply(removed -> null);
    }

    @Override
    public CompletionStage<List<ClientInfo>> presence(String channel) {
        return call(() -> PRESENCE_READ.run(redis, presenceKeys(channel), redis.publishCommand(), pubSubChannel(channel)))
                .thenApply(entries -> {
                    // "<join seq>\n<client>": join order is the order of the sequence numbers.
                    List<String> sorted = new ArrayList<>(entries.size());
                    for (Object entry : entries) {
                        sorted.add((String) entry);
                    }
                    sorted.sort(Comparator.comparingLong(RedisBroker::joinSequence));
                    List<ClientInfo> clients = new ArrayList<>(sorted.size());
                    for (String entry : sorted) {
                        clients.add(Encoding.client(entry, entry.indexOf('\n') + 1));
                    }
                    return List.copyOf(clients);
                });
    }

    /** Closes the connections; blocks up to a few seconds while Lettuce shuts down (not on an event loop). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            redis.close();
        } finally {
            resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
    }

    // ---- keys and values ----

    private String[] keys(String channel, String... kinds) {
        String base = config.keyPrefix() + "{" + channel + "}:";
        String[] keys = new String[kinds.length];
        for (int i = 0; i < kinds.length; i++) {
            keys[i] = base + kinds[i];
        }
        return keys;
    }

    private String[] presenceKeys(String channel) {
        return keys(channel, "meta", "presence", "presence:expiry");
    }

    private String pubSubChannel(String channel) {
        return config.keyPrefix() + "{" + channel + "}";
    }

    /** The Switchboard channel of pub/sub channel {@code name}, or null when it is not one of ours. */
    private String channelOf(String name) {
        String prefix = config.keyPrefix();
        int open = prefix.length();
        if (name.length() < open + 3 || !name.startsWith(prefix) || name.charAt(open) != '{' || name.charAt(name.length() - 1) != '}') {
            return null;
        }
        return name.substring(open + 1, name.length() - 1);
    }

    /** A stream entry ({@code [id, [d, data, o, origin, t, time, x, expires]]}) as a message. */
    private static Message storedMessage(String channel, String epoch, List<?> entry) {
        String id = (String) entry.get(0);
        List<?> fields = (List<?>) entry.get(1);
        long offset = Long.parseLong(id, 0, id.indexOf('-'), 10);
        String data = (String) fields.get(1);
        String origin = Encoding.text((String) fields.get(3), 0);
        long time = Long.parseLong((String) fields.get(5));
        return new Message(channel, offset, epoch, data, time, origin);
    }

    private static long joinSequence(String entry) {
        return Long.parseLong(entry, 0, entry.indexOf('\n'), 10);
    }

    private static String newEpoch() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        char[] id = new char[8];
        for (int i = 0; i < id.length; i++) {
            id[i] = EPOCH_ALPHABET[random.nextInt(EPOCH_ALPHABET.length)];
        }
        return new String(id);
    }

    // ---- failures ----

    /** What a Redis operation stage is built from; may throw when Lettuce rejects at once. */
    @FunctionalInterface
    private interface Call<T> {
        CompletionStage<T> start();
    }

    /**
     * Runs {@code call}, turning "Redis is not there" (not connected, disconnected mid-command,
     * timed out) into {@link BrokerUnavailableException}; Redis's own errors stay as they are.
     */
    private <T> CompletionStage<T> call(Call<T> call) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("broker is closed"));
        }
        CompletionStage<T> stage;
        try {
            stage = call.start();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(unavailable(e));
        }
        return stage.exceptionallyCompose(failure -> CompletableFuture.failedFuture(unavailable(failure)));
    }

    private Throwable unavailable(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof RedisException && !(cause instanceof RedisCommandExecutionException)) {
            return new BrokerUnavailableException(where + " is unavailable: " + cause.getMessage(), cause);
        }
        return cause;
    }

    // ---- live ----

    /** Turns pub/sub messages into listener calls, on Lettuce's I/O thread, in the order Redis sent them. */
    private final class PubSubListener extends RedisPubSubAdapter<String, String> {

        @Override
        public void message(String name, String payload) {
            deliver(name, payload);
        }

        @Override
        public void smessage(String name, String payload) {
            deliver(name, payload);
        }

        private void deliver(String name, String payload) {
            Listener l = listener;
            String channel = channelOf(name);
            if (l == null || closed || channel == null || payload.isEmpty()) {
                return;
            }
            try {
                switch (payload.charAt(0)) {
                    case Encoding.PUBLICATION -> l.onPublication(publication(channel, payload));
                    case Encoding.JOIN -> l.onJoin(channel, Encoding.client(payload, 1));
                    case Encoding.LEAVE -> l.onLeave(channel, Encoding.client(payload, 1));
                    default -> log.warn("ignoring an unknown message on {}", name);
                }
            } catch (RuntimeException e) {
                log.warn("ignoring a malformed message on {}", name, e);
            }
        }

        /** {@code p<offset>\n<epoch>\n<time>\n<origin>\n<data>} as a message. */
        private Message publication(String channel, String payload) {
            int a = payload.indexOf('\n');
            int b = payload.indexOf('\n', a + 1);
            int c = payload.indexOf('\n', b + 1);
            long offset = Long.parseLong(payload, 1, a, 10);
            String epoch = payload.substring(a + 1, b);
            long time = Long.parseLong(payload, b + 1, c, 10);
            // The origin is self-delimiting (it may hold newlines); the data is the rest.
            String origin = Encoding.text(payload, c + 1);
            int dataStart = c + 1 + Encoding.text(origin).length() + 1;
            return new Message(channel, offset, epoch, payload.substring(dataStart), time, origin);
        }
    }
}
