package io.switchboard.bench.peer;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The Redis peer starts its own Redis and two nodes on it, and stops all three. */
class RedisPeerTest {

    @Test
    void startsTwoNodesOnARedisOfItsOwnAndStopsThemAll() throws Exception {
        assumeTrue(RedisServer.available(), "redis-server is not on the PATH");
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        RedisServer redis;
        ProcessHandle node2;
        try (Peer peer = Peers.byName("switchboard+redis")) {
            peer.start(port);

            assertThat(peer.ports()).hasSize(Peers.REDIS_NODES).startsWith(port).doesNotHaveDuplicates();
            assertThat(peer.pids()).hasSize(Peers.REDIS_NODES).startsWith(peer.pid()).doesNotHaveDuplicates();
            redis = peer.redis();
            assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
            assertThat(redis.command("PING")).isEqualTo("PONG");
            assertThat(redis.command("CLIENT", "LIST")).as("both nodes are connected").contains("cmd=");
            node2 = ProcessHandle.of(peer.pids().get(1)).orElseThrow();
        }
        assertThat(node2.isAlive()).isFalse();
        assertThat(ProcessHandle.of(redis.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(Peers.byName("switchboard").redis()).isNull();
    }

    @Test
    void encodesCommandsAsRespArraysAndReadsSimpleReplies() throws Exception {
        assertThat(new String(RedisServer.encode("SCRIPT", "LOAD", "return 'é'"), StandardCharsets.UTF_8))
                .isEqualTo("*3\r\n$6\r\nSCRIPT\r\n$4\r\nLOAD\r\n$11\r\nreturn 'é'\r\n");
        assertThat(read("+PONG\r\n")).isEqualTo("PONG");
        assertThat(read(":42\r\n")).isEqualTo("42");
        assertThat(read("$5\r\nab\r\nc\r\n")).isEqualTo("ab\r\nc");
        assertThat(read("$-1\r\n")).isNull();
        assertThat(read("-NOSCRIPT No matching script\r\n")).isEqualTo("-NOSCRIPT No matching script");
    }

    private static String read(String reply) throws Exception {
        return RedisServer.readReply(new ByteArrayInputStream(reply.getBytes(StandardCharsets.UTF_8)));
    }
}
