package io.switchboard.bench.report;

import io.switchboard.bench.peer.Peers;
import io.switchboard.bench.scenario.BenchOptions;
import io.switchboard.bench.scenario.Result;
import io.switchboard.bench.scenario.ResultTable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Writes {@code docs/benchmarks.md} from a report run's measurements. */
final class MarkdownReport {

    private final StringBuilder md = new StringBuilder();

    String render(Measurements m, BenchOptions options, Map<String, String> machine, List<String> charts, String started, String minutes) {
        line("# Benchmarks");
        line();
        line("Switchboard against the servers a user would otherwise pick, on the same machine, in the same run, under the same load "
                + "generator: the lesson's own chat server (Node.js + `ws`, per-message logging removed), a plain Netty server with "
                + "Netty's built-in WebSocket codec (the JVM baseline), and Jetty 12's WebSocket server. Regenerate this page with "
                + "`bin/bench-report` (about " + minutes + " minutes); run one scenario with `bin/switchboard bench <scenario> --peer all`.");
        line();
        line("Run started " + started + ".");
        line();
        line("## Machine");
        line();
        line("| | |");
        line("| --- | --- |");
        machine.forEach((k, v) -> line("| " + k + " | " + v + " |"));
        line();
        line("## Method");
        line();
        line("- Every server runs as its own process on 127.0.0.1, started fresh for each scenario; the load generator "
                + "(`switchboard-bench`, Netty with epoll, " + options.generatorThreads + " event loops, Netty's leak detection and per-access buffer checks off) runs in another "
                + "process and spreads "
                + "its connections over several loopback source addresses (127.0.0.1-8). Clients mask every frame with a random key, "
                + "as browsers do.");
        line("- Each measured window (" + options.duration.toMillis() / 1000.0 + " s) follows a " + options.warmup.toMillis() / 1000.0
                + " s warm-up that is not counted. Latency is recorded in HdrHistogram (3 significant digits).");
        line("- CPU columns are cores kept busy on average over the window: the server's from `/proc/<pid>/stat`, the generator's "
                + "from its own process CPU time. The generator shares the machine's " + machine.get("cores")
                + " cores with the server, so a row where generator CPU is high was limited by the generator, not only the server.");
        line("- Ratios are Switchboard against each peer on the scenario's main metric, written so that above 1 means Switchboard "
                + "did better (for memory and bytes, where less is better, the peer's value over Switchboard's).");
        line("- The machine is shared and noisy: one reading drifts by 20-30% from run to run, more than Switchboard and plain Netty differ on "
                + "small echoes and handshakes ([bench/echo-repeats.md](bench/echo-repeats.md)); read those ratios as even.");
        line();
        for (Presentation p : Presentation.ALL) {
            List<Result> results = m.of(p.scenario());
            if (results.isEmpty()) {
                continue;
            }
            line("## " + p.title());
            line();
            line(p.method() + (BenchReport.REPEATED.contains(p.scenario()) ? rounds(options.rounds) : ""));
            line();
            Map<String, List<Result>> byVariant = new LinkedHashMap<>();
            results.forEach(r -> byVariant.computeIfAbsent(r.variant(), v -> new ArrayList<>()).add(r));
            byVariant.forEach((variant, rows) -> table(p, variant, rows));
            charts.stream().filter(c -> c.startsWith(p.scenario() + "-")).forEach(c -> {
                line("![" + p.title() + "](bench/" + c + ")");
                line();
            });
        }
        million(m);
        scaleOut(m, options);
        targets(m);
        costPerEvent(m);
        measuredApart();
        return md.toString();
    }

    private void table(Presentation p, String variant, List<Result> rows) {
        line("**" + variant + "**");
        line();
        Result ours = rows.stream().filter(r -> r.peer().equals("switchboard")).findFirst().orElse(null);
        boolean ratio = ours != null && rows.size() > 1;
        StringBuilder header = new StringBuilder("| peer |");
        StringBuilder rule = new StringBuilder("| --- |");
        for (String column : p.columns()) {
            header.append(' ').append(column).append(" |");
            rule.append(" ---: |");
        }
        if (ratio) {
            header.append(" Switchboard advantage |");
            rule.append(" ---: |");
        }
        line(header.toString());
        line(rule.toString());
        for (Result row : rows) {
            StringBuilder cells = new StringBuilder("| " + (row == ours ? "**switchboard**" : row.peer()) + " |");
            for (String column : p.columns()) {
                cells.append(' ').append(ResultTable.format(row.get(column))).append(" |");
            }
            if (ratio) {
                double a = ours.get(p.primary());
                double b = row.get(p.primary());
                double advantage = p.higherIsBetter() ? a / b : b / a;
                cells.append(' ').append(row == ours ? "" : String.format(Locale.ROOT, "%.2fx", advantage)).append(" |");
            }
            line(cells.toString());
        }
        line();
    }

    private void million(Measurements m) {
        line("## What a million connections needs");
        line();
        line("Extrapolated from the idle `/chat` scenario's largest level (per-connection cost times 1,000,000, on top of the "
                + "process's baseline); [tuning.md](tuning.md) says how to set up a host for it. The live heap is the part of "
                + "that memory the heap must hold: size `-Xmx` from it with room for the collector.");
        line();
        line("| peer | RSS growth/conn (KiB) | live heap/conn (KiB) | memory for 1M connections (GiB) | live heap for 1M (GiB) |");
        line("| --- | ---: | ---: | ---: | ---: |");
        for (Result r : m.of("idle")) {
            if (m.last("idle", r.peer()).orElse(null) != r) {
                continue;
            }
            double memory = r.get("RSS growth/conn (KiB)");
            double heap = r.get("live heap/conn (KiB)");
            line(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s |", r.peer(), ResultTable.format(memory), ResultTable.format(heap),
                    ResultTable.format(memory * 1e6 / 1024 / 1024), ResultTable.format(heap * 1e6 / 1024 / 1024)));
        }
        line();
        line("Kernel memory is on top: each TCP socket costs the kernel roughly 2-4 KiB idle (more with data queued), counted in "
                + "`/proc/net/sockstat`, not in the server's RSS.");
        line();
    }

    /** Publish throughput, fan-out and idle memory on Redis beside Redis's own ceiling and the memory broker. */
    private void scaleOut(Measurements m, BenchOptions options) {
        if (m.of("redis-publish").isEmpty() && m.of("redis-fanout").isEmpty() && m.of("redis-idle").isEmpty()) {
            return;
        }
        line("## Scale-out on Redis");
        line();
        line("`" + BenchReport.REDIS_PEER + "`: " + Peers.REDIS_NODES + " Switchboard nodes started as "
                + "above with `--broker redis://…`, on a `redis-server` of the run's own (127.0.0.1, no persistence); every delivery "
                + "crosses Redis, the publisher's node's own subscribers' too. Measured in [bench/redis.md](bench/redis.md) with "
                + "its commands.");
        line();
        Presentation publish = Presentation.of("publish");
        line("**Publish throughput** (" + BenchReport.PUBLISH_CONNECTIONS + " connections x " + BenchReport.PUBLISH_IN_FLIGHT
                + " in flight, spread over the nodes, after a warm-up of at least " + BenchReport.PUBLISH_WARMUP.toSeconds() + " s). "
                + publish.method() + rounds(options.rounds));
        line();
        List<String> columns = List.of("publishes/s", "p50 ms", "p99 ms", "errors", "node CPU µs/publish", "Redis CPU (cores)");
        List<Result> published = m.of("redis-publish");
        double ceiling = published.stream().filter(r -> r.peer().equals("redis-benchmark")).mapToDouble(r -> r.get("publishes/s"))
                .findFirst().orElse(Double.NaN);
        rows(columns, published, "of the ceiling", r -> r.get("publishes/s") / ceiling);
        line("**Fan-out across nodes**: as the WebSocket fan-out above (its Switchboard row, one node on the memory broker, is "
                + "repeated here), with the subscribers alternating between the nodes and the publisher on a connection of its own "
                + "to the first. The first rate step is the same for both: its latencies minus the memory broker's are what the "
                + "Redis hop adds. This row is a single run.");
        line();
        List<Result> fanout = new ArrayList<>(m.of("fanout").stream().filter(r -> r.peer().equals("switchboard")).toList());
        fanout.addAll(m.of("redis-fanout"));
        double memoryRate = m.value("fanout", "", "switchboard", "deliveries/s");
        rows(List.of("deliveries/s", "publish rate/s", "p50 ms", "p99 ms", "lost", "first-step rate/s", "first-step p50 ms",
                "first-step p99 ms", "server CPU (cores)"), fanout, "of one node's (memory)", r -> r.get("deliveries/s") / memoryRate);
        line("**Idle connections on `/chat`** (as above, all on the first node).");
        line();
        List<Result> idle = new ArrayList<>();
        m.last("idle", "switchboard").ifPresent(idle::add);
        m.last("redis-idle", BenchReport.REDIS_PEER).ifPresent(idle::add);
        rows(List.of("open", "RSS growth/conn (KiB)", "live heap/conn (KiB)", "server RSS (MiB)"), idle, null, r -> Double.NaN);
    }

    /** A table of {@code results} by peer (memory-broker Switchboard named as such), with a ratio column when {@code ratioTitle} is given. */
    private void rows(List<String> columns, List<Result> results, String ratioTitle, ToDoubleFunction<Result> ratio) {
        StringBuilder header = new StringBuilder("| peer | variant |");
        StringBuilder rule = new StringBuilder("| --- | --- |");
        for (String column : ratioTitle == null ? columns : concat(columns, ratioTitle)) {
            header.append(' ').append(column).append(" |");
            rule.append(" ---: |");
        }
        line(header.toString());
        line(rule.toString());
        for (Result r : results) {
            StringBuilder cells = new StringBuilder("| " + (r.peer().equals("switchboard") ? "switchboard (memory broker)" : r.peer())
                    + " | " + r.variant() + " |");
            for (String column : columns) {
                cells.append(' ').append(ResultTable.format(r.get(column))).append(" |");
            }
            if (ratioTitle != null) {
                double value = ratio.applyAsDouble(r);
                cells.append(' ').append(Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.2fx", value)).append(" |");
            }
            line(cells.toString());
        }
        line();
    }

    private static List<String> concat(List<String> list, String last) {
        List<String> all = new ArrayList<>(list);
        all.add(last);
        return all;
    }

    private void targets(Measurements m) {
        line("## Targets");
        line();
        line("The issue's targets, as ratios on this machine in this run.");
        line();
        line("| target | measured | goal | verdict |");
        line("| --- | ---: | ---: | --- |");
        for (Targets.Check check : Targets.check(m)) {
            line(String.format(Locale.ROOT, "| %s | %s%s | %s %s%s | %s |", check.target(),
                    Double.isNaN(check.measured()) ? "-" : String.format(Locale.ROOT, "%.2f", check.measured()),
                    Double.isNaN(check.measured()) ? "" : check.unit(),
                    check.lowerIsBetter() ? "<=" : ">=", ResultTable.format(check.goal()), check.unit(), check.verdict()));
        }
        line();
    }

    /** Server CPU per echo and per handshake beside each other: the efficiency the shared-core throughput blurs. */
    private void costPerEvent(Measurements m) {
        line("## What one echo and one handshake cost the server");
        line();
        line("Server CPU time per event over the measured window (its process, kernel time included), from the rows above. "
                + "On this machine the kernel's loopback TCP work is most of it for every peer: the system calls and CPU time "
                + "per message behind it are counted in [bench/echo-profile.md](bench/echo-profile.md) (`bin/bench-profile`).");
        line();
        line("| variant | switchboard | netty | jetty | node-lesson | Netty's cost over Switchboard's |");
        line("| --- | ---: | ---: | ---: | ---: | ---: |");
        costRow(m, "echo", "32 B x 1 in flight", "server CPU µs/msg", "µs per echo");
        costRow(m, "echo", "32 B x 16 in flight", "server CPU µs/msg", "µs per echo");
        costRow(m, "echo", "16 KiB x 1 in flight", "server CPU µs/msg", "µs per echo");
        costRow(m, "handshake", "", "server CPU µs/handshake", "µs per handshake");
        line();
    }

    /** Comparisons this report does not regenerate: each page was measured in a run of its own, with its commands. */
    private void measuredApart() {
        line("## Measured apart");
        line();
        line("Comparisons run with `bin/switchboard bench` on their own, written by hand with their commands, load average and "
                + "date: [bench/restructure-before-after.md](bench/restructure-before-after.md) sets the build before the "
                + "restructuring of issue 9 beside the one after it (echo, fan-out, idle memory on `/chat`, one run, alternating "
                + "builds), [bench/token-handshakes.md](bench/token-handshakes.md) gives handshakes/s and server CPU per "
                + "handshake on `/ws` with an HS256 and an RS256 connection token beside none, and [bench/redis.md](bench/redis.md) "
                + "sets two nodes on Redis beside Redis's own ceiling and one node on the memory broker (publish throughput, "
                + "fan-out across nodes, idle memory), with the broker's publish batching before and after.");
        line();
    }

    private void costRow(Measurements m, String scenario, String variant, String metric, String unit) {
        StringBuilder row = new StringBuilder("| " + scenario + (variant.isEmpty() ? "" : " " + variant) + ", " + unit + " |");
        for (String peer : List.of("switchboard", "netty", "jetty", "node-lesson")) {
            row.append(' ').append(ResultTable.format(m.value(scenario, variant, peer, metric))).append(" |");
        }
        double ratio = m.value(scenario, variant, "netty", metric) / m.value(scenario, variant, "switchboard", metric);
        row.append(' ').append(Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio)).append(" |");
        line(row.toString());
    }

    private void line(String text) {
        md.append(text).append('\n');
    }

    private void line() {
        md.append('\n');
    }

    private static String rounds(int rounds) {
        return rounds > 1
                ? " Each row is the median of " + rounds + " runs, the peers alternating run by run (one reading drifts by "
                        + "20-30% on this shared machine)."
                : " Each row is a single run.";
    }
}
