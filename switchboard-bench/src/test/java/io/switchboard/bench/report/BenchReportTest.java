package io.switchboard.bench.report;

import io.switchboard.bench.scenario.BenchOptions;
import io.switchboard.bench.scenario.Progress;
import io.switchboard.bench.scenario.Result;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BenchReportTest {

    @TempDir
    Path docs;

    @Test
    void writesTablesWithRatiosTargetsAndTheChartsItLinks() throws Exception {
        Measurements m = new Measurements();
        m.add("echo", List.of(
                echo("switchboard", "32 B x 16 in flight, 100 conns", 300_000, 2.0),
                echo("netty", "32 B x 16 in flight, 100 conns", 200_000, 4.0),
                echo("node-lesson", "32 B x 16 in flight, 100 conns", 50_000, 9.0)));
        m.add("idle", List.of(
                Result.of("idle", "switchboard", "19,000 connections", null).put("RSS growth/conn (KiB)", 2.0).put("live heap/conn (KiB)", 1.0),
                Result.of("idle", "netty", "19,000 connections", null).put("RSS growth/conn (KiB)", 3.5).put("live heap/conn (KiB)", 2.0)));
        m.add("idle-sse", List.of(
                Result.of("idle-sse", "switchboard", "19,000 connections", null).put("RSS growth/conn (KiB)", 3.0).put("live heap/conn (KiB)", 1.0)));
        m.echoByConnections.put("switchboard", List.of(new double[] {10, 100_000}, new double[] {100, 300_000}));

        try (Progress progress = Progress.silent(); PrintStream log = new PrintStream(OutputStream.nullOutputStream())) {
            new BenchReport(new BenchOptions(), List.of("switchboard", "netty"), progress, log).write(docs, m, Instant.EPOCH, Map.of("cores", "2"));
        }

        String md = Files.readString(docs.resolve("benchmarks.md"));
        assertThat(md).contains("| **switchboard** | 300,000 |", "| netty | 200,000 |")
                .contains("1.50x", "6.00x")                    // msg/s ratios: 300k / 200k, 300k / 50k
                .contains("| idle /chat: RSS growth per connection at the largest level | 2.00 KiB | <= 2.50 KiB | **met** |")
                .contains("| idle SSE: RSS growth per connection at the largest level | 3.00 KiB | <= 2.50 KiB | **missed** by 20% |")
                .contains("| idle /ws subscribed to one channel: RSS growth per connection at the largest level | - | <= 2.50 KiB | not measured |")
                .contains("| echo 32 B, 16 in flight: msg/s vs plain Netty | 1.50x | >= 1.30x | **met** |")
                .contains("| echo 32 B, 16 in flight: msg/s vs the lesson's server | 6.00x | >= 10x | **missed** by 40% |")
                .contains("| handshakes/s vs plain Netty | - | >= 1.20x | not measured |")
                .contains("| switchboard | 2 | 1 | 1.91 | 0.95 |")    // a million connections, GiB
                .contains("](bench/restructure-before-after.md)", "](bench/token-handshakes.md)", "](bench/redis.md)");
        for (String chart : List.of("echo-latency-32-b-x-16-in-flight.png", "echo-throughput-connections.png", "idle-memory-per-connection.png")) {
            assertThat(md).contains("](bench/" + chart + ")");
            assertThat(Files.readAllBytes(docs.resolve("bench").resolve(chart))).startsWith(0x89, 'P', 'N', 'G');
        }
    }

    @Test
    void setsRedisBesideItsCeilingAndTheMemoryBrokerInTheScaleOutSection() throws Exception {
        Measurements m = new Measurements();
        m.add("fanout", List.of(fanout("switchboard", 140_000, 2.0), fanout("netty", 70_000, 1.0)));
        m.add("idle", List.of(idle("switchboard", 1.40), idle("netty", 2.0)));
        m.add("redis-publish", List.of(
                Result.of("publish", "switchboard+redis", "50 conns x 16 in flight", null).put("publishes/s", 30_000).put("errors", 0),
                Result.of("publish", "redis-benchmark", "50 conns x 16 in flight", null).put("publishes/s", 50_000)));
        m.add("redis-fanout", List.of(fanout("switchboard+redis", 70_000, 2.6)));
        m.add("redis-idle", List.of(idle("switchboard+redis", 1.47)));

        try (Progress progress = Progress.silent(); PrintStream log = new PrintStream(OutputStream.nullOutputStream())) {
            new BenchReport(new BenchOptions(), List.of("switchboard"), progress, log).write(docs, m, Instant.EPOCH, Map.of("cores", "2"));
        }

        String md = Files.readString(docs.resolve("benchmarks.md"));
        assertThat(md).contains("## Scale-out on Redis", "](bench/redis.md)")
                .contains("| switchboard+redis | 50 conns x 16 in flight | 30,000 |", "| 0.60x |", "| redis-benchmark | 50 conns x 16 in flight | 50,000 |")
                .contains("| switchboard (memory broker) | 5,000 subscribers | 140,000 |", "| switchboard+redis | 5,000 subscribers | 70,000 |", "| 0.50x |")
                .contains("| Redis: publishes/s vs redis-benchmark running the same publish script | 0.60x | >= 0.50x | **met** |")
                .contains("| Redis: p50 the Redis hop adds to fan-out delivery at the same rate | 0.60 ms | <= 1 ms | **met** |")
                .contains("| Redis: live heap per idle /chat connection vs the memory broker's | 1.05x of memory's | <= 1.10x of memory's | **met** |");
    }

    @Test
    void saysNotMeasuredForRedisTargetsOfARunWithoutRedis() {
        assertThat(Targets.redis(new Measurements())).extracting(Targets.Check::verdict).containsOnly("not measured");
    }

    @Test
    void thePagesMeasuredApartThatTheReportLinksExist() {
        Path bench = Path.of("..", "docs", "bench");
        assertThat(bench.resolve("restructure-before-after.md")).isRegularFile();
        assertThat(bench.resolve("token-handshakes.md")).isRegularFile();
        assertThat(bench.resolve("redis.md")).isRegularFile();
    }

    private static Result fanout(String peer, double deliveries, double firstStepP50) {
        return Result.of("fanout", peer, "5,000 subscribers", null).put("deliveries/s", deliveries).put("lost", 0)
                .put("first-step rate/s", 2).put("first-step p50 ms", firstStepP50);
    }

    private static Result idle(String peer, double heap) {
        return Result.of("idle", peer, "19,000 connections", null).put("RSS growth/conn (KiB)", 2.0).put("live heap/conn (KiB)", heap);
    }

    private static Result echo(String peer, String variant, double rate, double p99) {
        Histogram latency = new Histogram(3);
        latency.recordValueWithCount(1_000_000, 99);
        latency.recordValue((long) (p99 * 2_000_000));
        return Result.of("echo", peer, variant, latency).put("msg/s", rate).put("p99 ms", p99);
    }
}
