package io.switchboard.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubListener;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import io.lettuce.core.resource.ClientResources;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;

/**
 * The broker's two Lettuce connections to one Redis deployment: a shared one for commands (every
 * caller's commands pipelined on it) and one for pub/sub. Standalone Redis uses
 * {@code PUBLISH}/{@code SUBSCRIBE}; a Redis Cluster uses sharded pub/sub
 * ({@code SPUBLISH}/{@code SSUBSCRIBE}), which stays on the node owning the channel's slot.
 *
 * <p>While Redis is unreachable, commands are rejected at once (not queued until it returns) and
 * commands in flight fail; on reconnect Lettuce resubscribes every channel of the pub/sub connection.
 *
 * <p>The command connection does not flush each command on its own ({@link #flush()}): the commands
 * an event loop issues in one turn (every publish of the frames it just read, from any number of
 * clients) reach Redis in one write, handed to Lettuce's I/O thread once, not once per command.
 */
final class RedisLink implements AutoCloseable {

    private final RedisClusterAsyncCommands<String, String> commands;
    private final StatefulConnection<String, String> connection;
    /** Per thread: whether a flush is already queued on that thread's event loop. */
    private final ThreadLocal<boolean[]> flushQueued = ThreadLocal.withInitial(() -> new boolean[1]);
    private final Runnable queuedFlush = () -> {
        flushQueued.get()[0] = false;
        flushNow();
    };
    private final RedisPubSubAsyncCommands<String, String> pubSub;
    private final boolean sharded;
    private final AutoCloseable[] resources;

    private RedisLink(StatefulConnection<String, String> connection, RedisClusterAsyncCommands<String, String> commands,
                      RedisPubSubAsyncCommands<String, String> pubSub, boolean sharded, AutoCloseable... resources) {
        this.connection = connection;
        connection.setAutoFlushCommands(false);
        this.commands = commands;
        this.pubSub = pubSub;
        this.sharded = sharded;
        this.resources = resources;
    }

    /**
     * Connects to {@code uri}, as a cluster client when that server runs in cluster mode.
     * Blocks while connecting: call it at startup, never on an event loop.
     */
    static RedisLink connect(RedisURI uri, ClientResources resources, Duration timeout, RedisPubSubListener<String, String> listener) {
        uri.setTimeout(timeout);
        RedisClient client = RedisClient.create(resources, uri);
        client.setOptions(options(ClientOptions.builder(), timeout).build());
        AutoCloseable shutdown = () -> client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        StatefulRedisConnection<String, String> connection = null;
        try {
            connection = client.connect(StringCodec.UTF8);
            if (!connection.sync().info("cluster").contains("cluster_enabled:1")) {
                StatefulRedisPubSubConnection<String, String> pubSub = client.connectPubSub(StringCodec.UTF8);
                pubSub.addListener(listener);
                return new RedisLink(connection, connection.async(), pubSub.async(), false, pubSub, connection, shutdown);
            }
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ZERO);
            return cluster(uri, resources, timeout, listener);
        } catch (RuntimeException e) {
            if (connection != null) {
                connection.close();
            }
            client.shutdown(Duration.ZERO, Duration.ZERO);
            throw e;
        }
    }

    private static RedisLink cluster(RedisURI uri, ClientResources resources, Duration timeout, RedisPubSubListener<String, String> listener) {
        RedisClusterClient client = RedisClusterClient.create(resources, uri);
        client.setOptions(options(ClusterClientOptions.builder(), timeout)
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        // Adaptive refresh (on redirects, reconnects, unknown nodes) is on by default.
                        .enablePeriodicRefresh(Duration.ofSeconds(30))
                        .build())
                .build());
        StatefulRedisClusterConnection<String, String> connection = null;
        try {
            connection = client.connect(StringCodec.UTF8);
            StatefulRedisClusterPubSubConnection<String, String> pubSub = client.connectPubSub(StringCodec.UTF8);
            pubSub.addListener(listener);
            // Commands are rejected while the connection to their node is still being made, so
            // connect to every master now rather than failing each node's first commands.
            for (RedisClusterNode node : client.getPartitions()) {
                if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
                    connection.getConnection(node.getUri().getHost(), node.getUri().getPort());
                    pubSub.getConnection(node.getUri().getHost(), node.getUri().getPort());
                }
            }
            return new RedisLink(connection, connection.async(), pubSub.async(), true, pubSub, connection,
                    () -> client.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
        } catch (RuntimeException e) {
            if (connection != null) {
                connection.close();
            }
            client.shutdown(Duration.ZERO, Duration.ZERO);
            throw e;
        }
    }

    private static <B extends ClientOptions.Builder> B options(B builder, Duration timeout) {
        builder.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .autoReconnect(true);
        return builder;
    }

    /**
     * Sends the commands issued so far: on an event loop (a server's, or Lettuce's own) at the end of its
     * current turn, once however many commands the turn issued; on any other thread at once. Every
     * command on {@link #commands()} must be followed by a call to this.
     */
    void flush() {
        EventExecutor loop = ThreadExecutorMap.currentExecutor();
        if (loop == null) {
            flushNow();
            return;
        }
        boolean[] queued = flushQueued.get();
        if (!queued[0]) {
            queued[0] = true;
            try {
                loop.execute(queuedFlush);
            } catch (RejectedExecutionException shuttingDown) {
                queued[0] = false;
                flushNow();
            }
        }
    }

    private void flushNow() {
        connection.flushCommands();
    }

    /** The command connection's asynchronous commands (scripts run on the node owning their keys); see {@link #flush()}. */
    RedisClusterAsyncCommands<String, String> commands() {
        return commands;
    }

    /** {@code PUBLISH} or {@code SPUBLISH}: how scripts announce to this deployment's subscribers. */
    String publishCommand() {
        return sharded ? "SPUBLISH" : "PUBLISH";
    }

    /** Subscribes the pub/sub connection to {@code channel}; completes once Redis confirmed it. */
    CompletionStage<Void> subscribe(String channel) {
        return sharded ? pubSub.ssubscribe(channel) : pubSub.subscribe(channel);
    }

    /** Unsubscribes the pub/sub connection from {@code channel}. */
    CompletionStage<Void> unsubscribe(String channel) {
        return sharded ? pubSub.sunsubscribe(channel) : pubSub.unsubscribe(channel);
    }

    /** Closes both connections and the client. */
    @Override
    public void close() {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                // Closing the rest matters more than this failure.
            }
        }
    }
}
