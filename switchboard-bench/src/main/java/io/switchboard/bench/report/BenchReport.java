package io.switchboard.bench.report;

import io.switchboard.bench.load.LoadGenerator;
import io.switchboard.bench.peer.Peers;
import io.switchboard.bench.scenario.BenchOptions;
import io.switchboard.bench.scenario.BenchRunner;
import io.switchboard.bench.scenario.Progress;
import io.switchboard.bench.scenario.Result;
import io.switchboard.bench.scenario.ResultTable;
import io.switchboard.bench.scenario.Scenario;
import io.switchboard.bench.scenario.Scenarios;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The whole benchmark report in one run: every scenario against every peer, then
 * {@code docs/benchmarks.md} and the PNG charts in {@code docs/bench/}. Run by {@code bin/bench-report}.
 */
public final class BenchReport {

    /** Connection counts of the echo throughput-against-connections chart (32 B, 16 in flight). */
    private static final List<Integer> SWEEP = List.of(10, 100, 1000);

    /** Scenarios short enough to run several times, alternating the peers, and report the median run. */
    static final Set<String> REPEATED = Set.of("echo", "handshake", "fanout");

    /** The peer of the scale-out section: Switchboard nodes sharing channels through Redis. */
    static final String REDIS_PEER = "switchboard+redis";
    /** Publish throughput is measured on Redis only, in the scale-out section, with redis-benchmark's concurrency. */
    static final int PUBLISH_CONNECTIONS = 50;
    static final int PUBLISH_IN_FLIGHT = 16;
    static final Duration PUBLISH_WARMUP = Duration.ofSeconds(10);

    private final BenchOptions options;
    private final List<String> peers;
    private final Progress progress;
    private final PrintStream log;

    /** A report over {@code peers} with {@code options}, progress on {@code log}. */
    public BenchReport(BenchOptions options, List<String> peers, Progress progress, PrintStream log) {
        this.options = options;
        this.peers = peers;
        this.progress = progress;
        this.log = log;
    }

    /** The report's sizes: about 25 minutes for every scenario against four peers, four more for the scale-out on Redis. */
    public static BenchOptions fullOptions() {
        BenchOptions options = new BenchOptions();
        options.duration = Duration.ofSeconds(6);
        options.warmup = Duration.ofSeconds(3);
        options.maxSteps = 7;
        options.rounds = 3;
        return options;
    }

    /**
     * {@code [--quick] [--out DIR] [--peers a,b]}: runs the report and writes {@code DIR/benchmarks.md}
     * (default {@code docs}). {@code --quick} uses seconds-long tiny sizes to check the pipeline.
     */
    public static void main(String[] args) throws Exception {
        LoadGenerator.configureJvm();
        System.setProperty("java.awt.headless", "true");
        Path out = Path.of("docs");
        boolean quick = false;
        List<String> peers = Peers.names();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--out" -> out = Path.of(args[++i]);
                case "--peers" -> peers = List.of(args[++i].split(","));
                default -> throw new IllegalArgumentException("unknown argument " + args[i] + " (use --quick, --out DIR, --peers a,b)");
            }
        }
        BenchOptions options = fullOptions();
        if (quick) {
            options = BenchOptions.smoke();
            options.inFlight = List.of(1, 16); // the variants the charts and targets read
        }
        try (Progress progress = Progress.on(System.err)) {
            new BenchReport(options, peers, progress, System.err).write(out);
        }
        System.exit(0); // peers' child processes are gone; leave no lingering non-daemon thread behind
    }

    /** Runs everything and writes {@code dir/benchmarks.md} and {@code dir/bench/*.png}. */
    public void write(Path dir) throws IOException {
        Instant started = Instant.now();
        Map<String, String> machine = Machine.describe(); // before the run: its load average is the machine's other work
        write(dir, measure(), started, machine);
    }

    /** Writes the report of {@code m}, a run that began at {@code started}. */
    void write(Path dir, Measurements m, Instant started, Map<String, String> machine) throws IOException {
        Path chartDir = dir.resolve("bench");
        Files.createDirectories(chartDir);
        List<String> charts = charts(m, chartDir);
        String minutes = String.valueOf(Math.max(1, Duration.between(started, Instant.now()).toMinutes()));
        String markdown = new MarkdownReport().render(m, options, machine, charts,
                started.truncatedTo(ChronoUnit.SECONDS).toString(), minutes);
        Files.writeString(dir.resolve("benchmarks.md"), markdown);
        log.println("wrote " + dir.resolve("benchmarks.md") + " and " + charts.size() + " charts in " + chartDir);
    }

    /** The metric a scenario's peers are compared on, whose median run is kept over repeated rounds. */
    public static String primaryMetric(String scenario) {
        return Presentation.of(scenario).primary();
    }

    Measurements measure() {
        Measurements m = new Measurements();
        BenchRunner runner = new BenchRunner(options, progress, log);
        for (Scenario scenario : Scenarios.all()) {
            if (scenario.name().equals("publish")) {
                continue; // the scale-out section's, below
            }
            // One reading of a short scenario drifts more than the peers differ on a shared machine:
            // those get the median of alternating rounds.
            int rounds = REPEATED.contains(scenario.name()) ? options.rounds : 1;
            List<Result> results = runner.runMedian(scenario, peers, rounds, Presentation.of(scenario.name()).primary());
            m.add(scenario.name(), results);
            ResultTable.print(results, log);
        }
        Scenario echo = Scenarios.byName("echo");
        for (int connections : SWEEP) {
            BenchOptions sweep = options.copy();
            sweep.connections = connections;
            sweep.sizes = List.of(32);
            sweep.inFlight = List.of(16);
            List<Result> results = connections == options.connections && options.sizes.contains(32) && options.inFlight.contains(16)
                    ? m.of("echo", "32 B x 16 in flight")
                    : new BenchRunner(sweep, progress, log).run(echo, peers);
            for (Result r : results) {
                m.echoByConnections.computeIfAbsent(r.peer(), p -> new ArrayList<>()).add(new double[] {connections, r.get("msg/s")});
            }
        }
        scaleOut(m);
        return m;
    }

    /**
     * Scale-out on Redis (about four minutes): publish throughput on two nodes against redis-benchmark's ceiling
     * (median of the rounds, after a warm-up of at least 10 s), then fan-out with subscribers over two nodes and idle memory on a node, each once;
     * the memory broker's rows they are set beside are the fan-out and idle rows above.
     */
    private void scaleOut(Measurements m) {
        BenchOptions publish = options.copy();
        publish.connections = PUBLISH_CONNECTIONS;
        publish.inFlight = List.of(PUBLISH_IN_FLIGHT);
        if (!options.warmup.isZero() && options.warmup.compareTo(PUBLISH_WARMUP) < 0) {
            publish.warmup = PUBLISH_WARMUP; // two fresh nodes publish through Redis at a fraction of their rate until compiled
        }
        List<Result> published = new BenchRunner(publish, progress, log).runMedian(Scenarios.byName("publish"), List.of(REDIS_PEER),
                options.rounds, primaryMetric("publish"));
        m.add("redis-publish", published);
        ResultTable.print(published, log);
        BenchRunner runner = new BenchRunner(options, progress, log);
        for (String scenario : List.of("fanout", "idle")) {
            List<Result> results = runner.run(Scenarios.byName(scenario), List.of(REDIS_PEER));
            m.add("redis-" + scenario, results);
            ResultTable.print(results, log);
        }
    }

    private List<String> charts(Measurements m, Path dir) throws IOException {
        List<String> written = new ArrayList<>();
        for (String variant : List.of("32 B x 1 in flight", "32 B x 16 in flight")) {
            String file = "echo-latency-" + variant.replaceAll("[^0-9a-zA-Z]+", "-").toLowerCase(Locale.ROOT) + ".png";
            written.add(chart(dir, file, () -> Charts.latencyPercentiles(dir.resolve(file), "echo round trip, " + variant,
                    m.of("echo", variant))));
        }
        Map<String, double[][]> sweep = new LinkedHashMap<>();
        m.echoByConnections.forEach((peer, points) -> sweep.put(peer, new double[][] {
                points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray()}));
        written.add(chart(dir, "echo-throughput-connections.png", () -> Charts.lines(dir.resolve("echo-throughput-connections.png"),
                "echo throughput against connections (32 B, 16 in flight)", "connections", "messages/s", sweep)));
        written.add(chart(dir, "fanout-latency.png", () -> Charts.latencyPercentiles(dir.resolve("fanout-latency.png"),
                "chat fan-out delivery latency at the highest passing rate", m.of("fanout"))));
        List<Result> idle = m.of("idle");
        List<String> levels = idle.stream().map(Result::variant).distinct().toList();
        for (String metric : List.of("RSS growth/conn (KiB)", "live heap/conn (KiB)")) {
            Map<String, List<Double>> byPeer = new LinkedHashMap<>();
            for (String level : levels) {
                for (Result r : idle) {
                    if (r.variant().equals(level)) {
                        byPeer.computeIfAbsent(r.peer(), p -> new ArrayList<>()).add(r.get(metric));
                    }
                }
            }
            String file = metric.startsWith("RSS") ? "idle-memory-per-connection.png" : "idle-heap-per-connection.png";
            written.add(chart(dir, file, () -> Charts.bars(dir.resolve(file), "idle /chat WebSocket: " + metric.replace(" (KiB)", ""),
                    "connections held", "KiB per connection", levels, byPeer)));
        }
        return written.stream().filter(f -> Files.exists(dir.resolve(f))).toList();
    }

    private interface ChartWriter {
        void write() throws IOException;
    }

    private String chart(Path dir, String file, ChartWriter writer) throws IOException {
        Files.deleteIfExists(dir.resolve(file));
        try {
            writer.write();
        } catch (RuntimeException e) {
            log.println("chart " + file + " not drawn: " + e);
        }
        return file;
    }
}
