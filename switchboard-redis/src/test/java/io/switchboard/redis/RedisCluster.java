package io.switchboard.redis;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Redis Cluster of {@code masters} test-owned {@code redis-server} processes (no replicas),
 * created with {@code redis-cli --cluster create} and ready (every node reports
 * {@code cluster_state:ok}) when {@link #start} returns.
 */
final class RedisCluster implements AutoCloseable {

    private final List<RedisServer> nodes;

    private RedisCluster(List<RedisServer> nodes) {
        this.nodes = nodes;
    }

    static RedisCluster start(int masters) throws Exception {
        List<RedisServer> nodes = new ArrayList<>();
        RedisCluster cluster = new RedisCluster(nodes);
        try {
            for (int i = 0; i < masters; i++) {
                nodes.add(RedisServer.start("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                        "--cluster-node-timeout", "5000"));
            }
            List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
            for (RedisServer node : nodes) {
                create.add("127.0.0.1:" + node.port());
            }
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            String created = RedisServer.run(create);
            if (!created.contains("[OK] All 16384 slots covered")) {
                throw new IllegalStateException("redis-cli --cluster create failed:\n" + created);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (RedisServer node : nodes) {
                while (!node.cli("CLUSTER", "INFO").contains("cluster_state:ok")) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("cluster did not reach cluster_state:ok");
                    }
                    Thread.sleep(50);
                }
            }
            return cluster;
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    /** A URI of one node; clients discover the others. */
    String uri() {
        return nodes.get(0).uri();
    }

    @Override
    public void close() throws IOException {
        for (RedisServer node : nodes) {
            node.close();
        }
    }
}
