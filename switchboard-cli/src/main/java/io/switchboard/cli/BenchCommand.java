package io.switchboard.cli;

import io.switchboard.bench.load.LoadGenerator;
import io.switchboard.bench.peer.Peers;
import io.switchboard.bench.report.BenchReport;
import io.switchboard.bench.scenario.BenchOptions;
import io.switchboard.bench.scenario.BenchRunner;
import io.switchboard.bench.scenario.Progress;
import io.switchboard.bench.scenario.Result;
import io.switchboard.bench.scenario.ResultTable;
import io.switchboard.bench.scenario.Scenario;
import io.switchboard.bench.scenario.Scenarios;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code switchboard bench <scenario>}: runs one benchmark scenario against Switchboard and the
 * peer servers (each started as its own process on 127.0.0.1), with a progress bar on stderr and
 * the table of results on stdout.
 */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a benchmark scenario against Switchboard and peer servers on this machine.",
            "Scenarios: echo, fanout, idle, idle-ws, idle-sse, handshake, sse-fanout, poll-fanout, wire, publish.",
            "Micro-benchmarks of the codec: switchboard bench jmh [regex] [JMH options]."
        },
        subcommands = JmhCommand.class,
        sortOptions = false)
final class BenchCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", paramLabel = "SCENARIO", description = "echo, fanout, idle, idle-ws, idle-sse, handshake, sse-fanout, poll-fanout, wire or publish.")
    String scenario;

    @Spec
    CommandSpec spec;

    @Option(names = "--peer", defaultValue = "switchboard", paramLabel = "NAME",
            description = {"switchboard, netty, jetty, node-lesson, or all (default: ${DEFAULT-VALUE}); comma-separated for several.",
                "switchboard+hs256, switchboard+rs256: Switchboard verifying that kind of connection token, presented by the generator.",
                "switchboard+redis: two Switchboard nodes on --broker redis:// (a redis-server the bench starts, or SWITCHBOARD_BENCH_REDIS);",
                "  fan-out subscribers alternate between them; publish also runs redis-benchmark on the same script (Redis's ceiling).",
                "LABEL=JAR: Switchboard as built in another switchboard.jar (e.g. an older commit), reported as LABEL."})
    String peer;

    /** Options not given keep {@link BenchOptions}' defaults (the report's full-size run). */
    private final BenchOptions options = new BenchOptions();

    @Option(names = "--connections", paramLabel = "N", description = "echo, publish: connections (default: 100).")
    void connections(int n) { options.connections = n; }

    @Option(names = "--in-flight", split = ",", paramLabel = "P", description = "echo, publish: messages in flight per connection (default: 1,16).")
    void inFlight(List<Integer> p) { options.inFlight = p; }

    @Option(names = "--sizes", split = ",", paramLabel = "BYTES", description = "echo: message sizes (default: 32,16384).")
    void sizes(List<Integer> bytes) { options.sizes = bytes; }

    @Option(names = "--subscribers", paramLabel = "S", description = "fan-out: subscribers (default: 5000).")
    void subscribers(int s) { options.subscribers = s; }

    @Option(names = "--rate", paramLabel = "MSG/S", description = "fan-out: first publish rate tried (default: 10,000 deliveries/s worth).")
    void rate(double perSecond) { options.startRate = perSecond; }

    @Option(names = "--max-steps", paramLabel = "N", description = "fan-out: most rate steps tried (default: 8).")
    void maxSteps(int n) { options.maxSteps = n; }

    @Option(names = "--levels", split = ",", paramLabel = "N", description = "idle: connection counts held (default: 5000,10000,19000).")
    void levels(List<Integer> counts) { options.idleLevels = counts; }

    @Option(names = "--concurrency", paramLabel = "C", description = "handshake: connections churning at once (default: 64).")
    void concurrency(int c) { options.churnConcurrency = c; }

    @Option(names = "--path", paramLabel = "PATH", description = "handshake: the WebSocket path, e.g. /chat or /ws (default: /echo); the idle scenarios name their endpoint (idle: /chat, idle-ws, idle-sse).")
    void path(String p) { options.path = p; }

    @Option(names = "--rounds", paramLabel = "N",
            description = "Rounds over the peers, alternating them round by round; each row is the median run (default: 1).")
    void rounds(int n) { options.rounds = n; }

    @Option(names = "--duration", converter = DurationConverter.class, description = "Measured time per run or rate step (default: 10s).")
    void duration(Duration d) { options.duration = d; }

    @Option(names = "--warmup", converter = DurationConverter.class, description = "Warm-up before each run, not counted (default: 2s).")
    void warmup(Duration d) { options.warmup = d; }

    @Option(names = "--generator-threads", paramLabel = "N", description = "Load generator event loops (default: CPU cores).")
    void generatorThreads(int n) { options.generatorThreads = n; }

    @Override
    public Integer call() {
        if (scenario == null) {
            throw new ParameterException(spec.commandLine(), "Missing required parameter: 'SCENARIO'");
        }
        LoadGenerator.configureJvm();
        Scenario chosen = Scenarios.byName(scenario);
        List<String> peers = peer.equals("all") ? Peers.names() : List.of(peer.split(","));
        List<Result> results;
        try (Progress progress = Progress.on(System.err)) {
            results = new BenchRunner(options, progress, System.err).runMedian(chosen, peers, options.rounds,
                    BenchReport.primaryMetric(chosen.name()));
        }
        ResultTable.print(results, System.out);
        return results.isEmpty() ? 1 : 0;
    }
}
