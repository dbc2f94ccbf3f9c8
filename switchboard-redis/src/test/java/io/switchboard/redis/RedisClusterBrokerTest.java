package io.switchboard.redis;

import io.switchboard.core.Broker;
import io.switchboard.core.BrokerContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.util.UUID;

/**
 * The broker contract on a 3-master Redis Cluster this test starts from {@code redis-server} on
 * free ports (keys of one channel share a hash tag; live delivery uses sharded pub/sub).
 */
class RedisClusterBrokerTest extends BrokerContractTest {

    private static RedisCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = RedisCluster.start(3);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Override
    protected Broker newBroker(Duration presenceTtl) {
        return RedisBroker.connect(new RedisBrokerConfig(cluster.uri())
                .keyPrefix("switchboard-test:" + UUID.randomUUID() + ":")
                .presenceTtl(presenceTtl));
    }
}
