package io.switchboard.bench.scenario;

import io.switchboard.bench.load.Connections;
import io.switchboard.bench.load.LoadGenerator;
import io.switchboard.bench.load.ServerProcess;
import io.switchboard.bench.peer.Peer;
import io.switchboard.websocket.ReadyState;
import io.switchboard.websocket.WebSocket;
import io.switchboard.websocket.WebSocketListener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code idle}: holds growing numbers of idle WebSockets on {@code /echo} (or the path in the options) and reads what each
 * costs the server: RSS growth per connection ({@code VmRSS} against the reading taken after a
 * warm-up round of connections has been opened and closed, before the first level) and, for a
 * JVM, live heap after a full GC per connection. A JVM peer's heap is
 * touched at start (see {@code ChildProcess.JVM_FLAGS}), so its memory per connection is RSS
 * growth plus live heap; for any other peer it is RSS growth alone.
 */
public final class IdleScenario implements Scenario {

    /** Connections opened and closed before the baseline reading (at most the first level). */
    static final int WARMUP_CONNECTIONS = 5_000;

    /** Time for the server to settle after the last connection of a level opened. */
    private static final Duration SETTLE = Duration.ofSeconds(2);

    @Override
    public String name() {
        return "idle";
    }

    @Override
    public String description() {
        return "idle WebSockets held open: server RSS growth and live heap per connection";
    }

    @Override
    public List<Result> run(Peer peer, int port, BenchOptions options, Progress progress) throws Exception {
        ServerProcess server = new ServerProcess(peer.pid());
        String path = HandshakeScenario.withToken(options.path, peer.connectionToken());
        List<Result> results = new ArrayList<>();
        List<WebSocket> held = new ArrayList<>();
        try (LoadGenerator generator = new LoadGenerator(port, options.generatorThreads)) {
            // A round of connections opened and closed first: the baseline then includes what a running server has
            // loaded, compiled and pooled for its first connections, and the levels measure what each one adds.
            int warmup = Math.min(WARMUP_CONNECTIONS, options.idleLevels.get(0));
            progress.phase(String.format(Locale.ROOT, "idle %s warm-up, %,d connections opened and closed", peer.name(), warmup),
                    Duration.ofMillis(Math.max(1000, warmup / 5L)), () -> "");
            Connections.closeAll(Connections.open(generator, warmup, path, i -> new WebSocketListener() { }, null));
            progress.endPhase();
            progress.phase("idle " + peer.name() + " baseline", SETTLE, () -> "");
            Thread.sleep(SETTLE.toMillis());
            long heapBefore = peer.isJvm() ? server.liveHeapBytes() : -1;
            long rssBefore = server.rssBytes();
            progress.endPhase();
            for (int level : options.idleLevels) {
                int more = level - held.size();
                progress.phase(String.format(Locale.ROOT, "idle %s %,d connections", peer.name(), level),
                        Duration.ofMillis(Math.max(1000, more / 5L)), () -> "");
                held.addAll(Connections.open(generator, more, path, i -> new WebSocketListener() { }, null));
                Thread.sleep(SETTLE.toMillis());
                long heap = peer.isJvm() ? server.liveHeapBytes() : -1;
                long rss = server.rssBytes();
                progress.endPhase();
                long open = held.stream().filter(ws -> ws.readyState() == ReadyState.OPEN).count();
                double rssPerConnection = (rss - rssBefore) / 1024.0 / level;
                double heapPerConnection = heap < 0 || heapBefore < 0 ? Double.NaN : (heap - heapBefore) / 1024.0 / level;
                results.add(Result.of(name(), peer.name(), String.format(Locale.ROOT, "%,d connections", level) + (options.path.equals("/echo") ? "" : " on " + options.path), null)
                        .put("connections", level)
                        .put("open", open)
                        .put("memory/conn (KiB)", peer.isJvm() ? rssPerConnection + heapPerConnection : rssPerConnection)
                        .put("RSS growth/conn (KiB)", rssPerConnection)
                        .put("live heap/conn (KiB)", heapPerConnection)
                        .put("server RSS (MiB)", rss / 1024.0 / 1024.0));
            }
            Connections.closeAll(held);
        }
        return results;
    }
}
