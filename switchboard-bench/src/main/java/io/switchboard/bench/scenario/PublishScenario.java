package io.switchboard.bench.scenario;

import io.netty.buffer.ByteBuf;
import io.switchboard.bench.load.Connections;
import io.switchboard.bench.load.Latency;
import io.switchboard.bench.load.LoadGenerator;
import io.switchboard.bench.load.RedisBenchmark;
import io.switchboard.bench.load.ServerProcess;
import io.switchboard.bench.peer.Peer;
import io.switchboard.bench.peer.RedisServer;
import io.switchboard.websocket.ReadyState;
import io.switchboard.websocket.WebSocket;
import io.switchboard.websocket.WebSocketListener;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code publish}: N connections to {@code ws /ws} (spread over the nodes of a multi-node peer),
 * each keeping P {@code publish} commands in flight to {@code demo:board}, the channel the embedded
 * defaults let anonymous clients publish to; the next is sent as soon as a reply returns.
 * Publishes/s counts the acknowledged ones (replies with an offset); latency is command to reply.
 *
 * <p>{@code /ws} rather than {@code POST /api/publish}: a publish is then one small frame each way,
 * with no HTTP request and response heads to write and parse per message, so the generator and the
 * node spend their shared cores on publishing, and many commands are in flight on one connection.
 *
 * <p>On a peer on Redis the same run then measures Redis's own ceiling for that work:
 * {@code redis-benchmark} with as many connections and as many commands pipelined on each
 * ({@code -c N -P P}) running the broker's publish script by {@code EVALSHA} with the keys and
 * arguments a node gives it for this channel, reported as peer {@code redis-benchmark}.
 */
public final class PublishScenario implements Scenario {

    /** Where anonymous clients may publish in the embedded defaults (the demo page's board). */
    static final String CHANNEL = "demo:board";
    /** The broker's publish script, as its {@code Script} loads it (the file, then a newline). */
    static final String SCRIPT = "/io/switchboard/redis/publish.lua";
    /** Key prefix of the broker's defaults. */
    private static final String PREFIX = "switchboard:";
    /** The hub's defaults: history size and TTL (ms), and how long a channel's offset and epoch outlive it (ms). */
    private static final String HISTORY_SIZE = "1000";
    private static final String HISTORY_TTL_MS = "600000";
    private static final String META_TTL_MS = Long.toString(30L * 24 * 3600 * 1000);

    @Override
    public String name() {
        return "publish";
    }

    @Override
    public String description() {
        return "N connections x P publish commands in flight on ws /ws: publishes/s acknowledged; on Redis beside redis-benchmark's ceiling";
    }

    @Override
    public boolean supports(String peer) {
        return peer.startsWith("switchboard");
    }

    @Override
    public List<Result> run(Peer peer, int port, BenchOptions options, Progress progress) throws Exception {
        List<Result> results = new ArrayList<>();
        for (int inFlight : options.inFlight) {
            Result ours = run(peer, port, options, progress, options.connections, inFlight);
            results.add(ours);
            if (peer.redis() != null) {
                results.add(ceiling(peer, options, progress, options.connections, inFlight, ours.get("publishes/s")));
            }
        }
        return results;
    }

    private Result run(Peer peer, int port, BenchOptions options, Progress progress, int connections, int inFlight) throws Exception {
        String variant = variant(connections, inFlight);
        Latency latency = new Latency();
        LongAdder acks = new LongAdder();
        LongAdder errors = new LongAdder();
        Publisher publisher = new Publisher(inFlight, latency, acks, errors);
        List<ServerProcess> nodes = peer.pids().stream().map(ServerProcess::new).toList();
        ServerProcess redis = redisProcess(peer);
        try (LoadGenerator generator = new LoadGenerator(port, options.generatorThreads)) {
            List<Integer> ports = peer.ports();
            List<WebSocket> webSockets = new ArrayList<>();
            for (int node = 0; node < ports.size(); node++) {
                int count = connections / ports.size() + (node < connections % ports.size() ? 1 : 0);
                int nodePort = ports.get(node);
                webSockets.addAll(Connections.open(generator, count, "/ws", i -> publisher, null, nodePort));
            }
            webSockets.forEach(publisher::start);
            Window window = new Window(generator.cpu(), new ServerProcess(peer.pid()));
            window.run(progress, "publish " + peer.name() + " " + variant, options, () -> {
                acks.reset();
                errors.reset();
                latency.reset();
                nodes.forEach(ServerProcess::mark);
                if (redis != null) {
                    redis.mark();
                }
            }, acks::sum, () -> String.format(Locale.ROOT, "%,d publishes", acks.sum()));
            long counted = acks.sum();
            double nodeCores = nodes.stream().mapToDouble(ServerProcess::cores).sum();
            double redisCores = redis == null ? Double.NaN : redis.cores();
            Histogram histogram = latency.histogram();
            publisher.running = false;
            long open = webSockets.stream().filter(ws -> ws.readyState() == ReadyState.OPEN).count();
            Connections.closeAll(webSockets);
            Result result = Result.of(name(), peer.name(), variant, histogram)
                    .put("publishes/s", window.rate(counted))
                    .put("p50 ms", Latency.millis(histogram, 50))
                    .put("p99 ms", Latency.millis(histogram, 99))
                    .put("errors", errors.sum())
                    .put("node CPU µs/publish", nodeCores * window.seconds() * 1e6 / Math.max(1, counted))
                    .put("nodes CPU (cores)", nodeCores)
                    .put("Redis CPU (cores)", redisCores)
                    .put("dropped conns", connections - open);
            return window.cpu(result);
        }
    }

    /**
     * redis-benchmark running the publish script with this run's concurrency: about twice as many
     * requests as Switchboard acknowledged over a window, so it runs for about a window when Redis
     * is twice as fast.
     */
    private Result ceiling(Peer peer, BenchOptions options, Progress progress, int connections, int inFlight, double ourRate)
            throws IOException, InterruptedException {
        RedisServer redis = peer.redis();
        String sha = redis.command("SCRIPT", "LOAD", script());
        long requests = Math.max(10_000, Math.round(2 * ourRate * options.duration.toMillis() / 1000.0));
        ServerProcess redisProcess = redisProcess(peer);
        progress.phase("publish redis-benchmark " + variant(connections, inFlight), options.duration, () -> "");
        if (redisProcess != null) {
            redisProcess.mark();
        }
        RedisBenchmark.Reading reading = RedisBenchmark.run(redis.host(), redis.port(), connections, inFlight, requests,
                evalsha(sha, PREFIX, CHANNEL));
        double redisCores = redisProcess == null ? Double.NaN : redisProcess.cores();
        progress.endPhase();
        return Result.of(name(), "redis-benchmark", variant(connections, inFlight), null)
                .put("publishes/s", reading.requestsPerSecond())
                .put("p50 ms", reading.p50Millis())
                .put("p99 ms", reading.p99Millis())
                .put("errors", 0)
                .put("Redis CPU (cores)", redisCores);
    }

    /**
     * {@code EVALSHA} of the publish script with what a node passes for one publication to
     * {@code channel}: its meta and stream keys, data like the scenario's, an encoded client id as
     * origin, the hub's default history size and TTL, a new epoch, the meta TTL, the pub/sub channel
     * and {@code PUBLISH} (see {@code RedisBroker.publish}). The data holds no quotes or commas, which
     * redis-benchmark's CSV would not escape.
     */
    static List<String> evalsha(String sha, String prefix, String channel) {
        String base = prefix + "{" + channel + "}";
        String origin = "3fa2c1d09e11-4242";
        return List.of("EVALSHA", sha, "2", base + ":meta", base + ":stream", "{n:1234567}",
                origin.length() + ":" + origin, HISTORY_SIZE, HISTORY_TTL_MS, "k3xq9v2a", META_TTL_MS, base, "PUBLISH");
    }

    /** The publish script's text as the broker sends it to Redis. */
    static String script() throws IOException {
        try (InputStream in = PublishScenario.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IOException("missing " + SCRIPT + " (switchboard-redis is not on the class path)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8) + "\n";
        }
    }

    private static ServerProcess redisProcess(Peer peer) {
        return peer.redis() == null || peer.redis().pid() < 0 ? null : new ServerProcess(peer.redis().pid());
    }

    static String variant(int connections, int inFlight) {
        return String.format(Locale.ROOT, "%d conns x %d in flight", connections, inFlight);
    }

    /**
     * The id of a {@code /ws} reply ({@code {"id":N,"<command>":...}}), negated when the reply is an
     * error ({@code {"id":N,"error":...}}); 0 for a push, which has no id.
     */
    static long replyId(ByteBuf utf8) {
        int at = utf8.readerIndex();
        int end = utf8.writerIndex();
        byte[] prefix = {'{', '"', 'i', 'd', '"', ':'};
        if (end - at < prefix.length + 3) {
            return 0;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (utf8.getByte(at + i) != prefix[i]) {
                return 0;
            }
        }
        long id = 0;
        int i = at + prefix.length;
        for (; i < end && utf8.getByte(i) >= '0' && utf8.getByte(i) <= '9'; i++) {
            id = id * 10 + utf8.getByte(i) - '0';
        }
        // ,"error": follows the id of an error reply
        boolean error = i + 2 < end && utf8.getByte(i + 2) == 'e';
        return error ? -id : id;
    }

    /** Keeps P publishes in flight on every connection; ids count up per connection, send times kept by id. */
    private static final class Publisher implements WebSocketListener {
        private static final int SLOTS = 1 << 12;
        private final int inFlight;
        private final Latency latency;
        private final LongAdder acks;
        private final LongAdder errors;
        volatile boolean running = true;

        Publisher(int inFlight, Latency latency, LongAdder acks, LongAdder errors) {
            this.inFlight = Math.min(inFlight, SLOTS / 2);
            this.latency = latency;
            this.acks = acks;
            this.errors = errors;
        }

        void start(WebSocket webSocket) {
            webSocket.executor().execute(() -> {
                webSocket.attach(new long[SLOTS + 1]); // send times by id, then the next id
                for (int i = 0; i < inFlight; i++) {
                    send(webSocket);
                }
            });
        }

        private void send(WebSocket webSocket) {
            long[] state = webSocket.attachment();
            long id = ++state[SLOTS];
            state[(int) (id & (SLOTS - 1))] = System.nanoTime();
            webSocket.sendText("{\"id\":" + id + ",\"publish\":{\"channel\":\"" + CHANNEL + "\",\"data\":{\"n\":" + id + "}}}");
        }

        @Override
        public void onText(WebSocket webSocket, ByteBuf utf8) {
            long id = replyId(utf8);
            if (id == 0) {
                return; // the connect push
            }
            long[] state = webSocket.attachment();
            if (id < 0) {
                errors.increment();
            } else {
                latency.record(System.nanoTime() - state[(int) (id & (SLOTS - 1))]);
                acks.increment();
            }
            if (running && webSocket.readyState() == ReadyState.OPEN) {
                send(webSocket);
            }
        }
    }
}
