package io.switchboard.it;

import io.switchboard.redis.RedisServer;
import io.switchboard.testkit.ExampleComCertificate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code switchboard serve} processes (the packaged jar) sharing a test-owned {@code redis-server}
 * without persistence, the nginx in front of them if a test wants one, and the clients a test
 * opened on them; closing stops them all.
 */
final class RedisNodes implements AutoCloseable {

    final RedisServer redis;
    final List<ServeProcess> nodes = new ArrayList<>();
    private final List<ChannelSubscriber> clients = new ArrayList<>();
    private Nginx nginx;

    private RedisNodes(RedisServer redis) {
        this.redis = redis;
    }

    /** Starts Redis and {@code count} nodes on it (at once: each is a JVM of its own). */
    static RedisNodes start(int count) throws Exception {
        RedisNodes cluster = new RedisNodes(RedisServer.start());
        try {
            List<CompletableFuture<ServeProcess>> starting = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                starting.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return ServeProcess.start(cluster.nodeOptions());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (CompletableFuture<ServeProcess> node : starting) {
                try {
                    cluster.nodes.add(node.get(90, TimeUnit.SECONDS));
                } catch (Exception failed) {
                    // Started siblings are kept, so close() stops them.
                    starting.forEach(n -> n.thenAccept(ServeProcess::close));
                    throw failed;
                }
            }
        } catch (Exception | AssertionError e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** The options every node is started with after its host and port. */
    private String[] nodeOptions() {
        return new String[] {"--broker", redis.uri(), "--no-demo"};
    }

    /** Starts node {@code index} again on its port (so nginx's upstream list still holds), if it is not running. */
    void restartIfDown(int index) throws IOException, InterruptedException {
        ServeProcess node = nodes.get(index);
        if (!node.isAlive()) {
            nodes.set(index, ServeProcess.startOn(node.port(), nodeOptions()));
        }
    }

    /** The port of node {@code index} (from 0). */
    int port(int index) {
        return nodes.get(index).port();
    }

    /** A backend publishing on node {@code index}. */
    Backend backend(int index) {
        return new Backend("http://127.0.0.1:" + port(index));
    }

    /**
     * The value of node {@code index}'s metric {@code name} whose labels include {@code labels}
     * (e.g. {@code transport="websocket"}; empty for any), from its {@code GET /metrics}.
     */
    int metric(int index, String name, String labels) throws IOException, InterruptedException {
        String text = backend(index).get("/metrics").body();
        Matcher series = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})?\\s+(\\S+)$").matcher(text);
        while (series.find()) {
            if (series.group(1) == null ? labels.isEmpty() : series.group(1).contains(labels)) {
                return (int) Double.parseDouble(series.group(2));
            }
        }
        throw new AssertionError("no " + name + " {" + labels + "} in the /metrics of node " + (index + 1) + ":\n" + text);
    }

    /** Starts nginx balancing over every node (docs/scaling.md's configuration, TLS for example.com); closed with the nodes. */
    Nginx behindNginx(Path certDir) throws Exception {
        ExampleComCertificate certificate = ExampleComCertificate.generate(certDir);
        nginx = Nginx.start(nodes.stream().map(ServeProcess::port).toList(), certificate.certPem, certificate.keyPem);
        return nginx;
    }

    /** Keeps {@code subscriber} to close it with the nodes. */
    ChannelSubscriber add(ChannelSubscriber subscriber) {
        clients.add(subscriber);
        return subscriber;
    }

    @Override
    public void close() throws IOException {
        try {
            for (ChannelSubscriber client : clients) {
                client.close();
            }
            if (nginx != null) {
                nginx.close();
            }
        } finally {
            nodes.forEach(ServeProcess::close);
            redis.close();
        }
    }
}
