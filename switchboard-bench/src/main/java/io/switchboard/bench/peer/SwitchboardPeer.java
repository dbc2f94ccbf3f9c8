package io.switchboard.bench.peer;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Switchboard itself, in a child JVM running {@link SwitchboardPeerMain} with the JVM settings
 * {@code bin/switchboard serve} uses ({@link Launcher}): from the bench's own class path, or from
 * another build's jar (to set two builds side by side), optionally verifying connection tokens, or
 * as several nodes sharing their channels through a Redis of the peer's own ({@link RedisServer}).
 */
final class SwitchboardPeer extends JvmPeer {

    /** Per-connection command budget of every Switchboard peer: the publish scenario measures the server, not this limit. */
    static final int MAX_COMMANDS_PER_SECOND = 1_000_000;

    private final String name;
    private final String classPath;
    private final BenchTokens.Kind tokens;
    private final int redisNodes;
    private RedisServer redis;
    private final List<ChildProcess> otherNodes = new ArrayList<>();
    private final List<Integer> otherPorts = new ArrayList<>();

    /** This build's Switchboard, with its defaults. */
    SwitchboardPeer() {
        this("switchboard", System.getProperty("java.class.path"), null);
    }

    /**
     * @param classPath where {@link SwitchboardPeerMain} and the server are loaded from
     * @param tokens    the connection tokens the server verifies (anonymous clients still served); null: none
     */
    SwitchboardPeer(String name, String classPath, BenchTokens.Kind tokens) {
        this(name, classPath, tokens, 0);
    }

    private SwitchboardPeer(String name, String classPath, BenchTokens.Kind tokens, int redisNodes) {
        this.name = name;
        this.classPath = classPath;
        this.tokens = tokens;
        this.redisNodes = redisNodes;
    }

    /** This build's Switchboard as {@code nodes} nodes with {@code --broker redis://…} on a Redis started for them, called {@code name}. */
    static SwitchboardPeer onRedis(String name, int nodes) {
        return new SwitchboardPeer(name, System.getProperty("java.class.path"), null, nodes);
    }

    /** Switchboard as built in {@code jar} (a {@code switchboard.jar} of any commit that has the bench), called {@code name}. */
    static SwitchboardPeer fromJar(String name, Path jar) {
        if (!jar.toFile().isFile()) {
            throw new IllegalArgumentException("peer " + name + ": no jar at " + jar);
        }
        return new SwitchboardPeer(name, jar.toAbsolutePath().toString(), null);
    }

    /** The JVM settings {@code bin/switchboard serve} uses ({@link Launcher}), for every build compared. */
    @Override
    protected List<String> jvmFlags() {
        return Launcher.jvmOptions();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    protected Class<?> mainClass() {
        return SwitchboardPeerMain.class;
    }

    /** On Redis: the Redis first, then the first node on {@code port} and the others on free ports. */
    @Override
    public void start(int port) throws Exception {
        if (redisNodes == 0) {
            super.start(port);
            return;
        }
        try {
            redis = RedisServer.start();
            super.start(port);
            for (int node = 2; node <= redisNodes; node++) {
                int another = freePort();
                otherNodes.add(startAnother(name + "-node" + node, command(another), another));
                otherPorts.add(another);
            }
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    @Override
    protected List<String> command(int port) {
        List<String> properties = new ArrayList<>(tokens == null ? List.of() : BenchTokens.shared().serverProperties(tokens));
        properties.add("-Dswitchboard.maxCommandsPerSecond=" + MAX_COMMANDS_PER_SECOND);
        if (redis != null) {
            properties.add("-Dswitchboard.broker=" + redis.uri());
        }
        return ChildProcess.javaCommand(jvmFlags(), classPath, properties, mainClass().getName(), Integer.toString(port));
    }

    @Override
    public List<Integer> ports() {
        List<Integer> ports = new ArrayList<>(super.ports());
        ports.addAll(otherPorts);
        return ports;
    }

    @Override
    public List<Long> pids() {
        List<Long> pids = new ArrayList<>(super.pids());
        otherNodes.forEach(node -> pids.add(node.pid()));
        return pids;
    }

    @Override
    public RedisServer redis() {
        return redis;
    }

    @Override
    public String connectionToken() {
        return tokens == null ? null : BenchTokens.shared().token(tokens);
    }

    @Override
    public void close() {
        otherNodes.forEach(ChildProcess::close);
        otherNodes.clear();
        otherPorts.clear();
        super.close();
        if (redis != null) {
            redis.close();
            redis = null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
