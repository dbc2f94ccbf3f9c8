package io.switchboard.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The targets, each checked against a report run's measurements. */
final class Targets {

    /** One target: what is compared, the measured value, the goal, and whether it was met. */
    record Check(String target, double measured, double goal, boolean lowerIsBetter, String unit) {
        boolean met() {
            return !Double.isNaN(measured) && (lowerIsBetter ? measured <= goal : measured >= goal);
        }

        String verdict() {
            if (Double.isNaN(measured)) {
                return "not measured";
            }
            if (met()) {
                return "**met**";
            }
            double shortBy = lowerIsBetter ? (measured - goal) / goal : (goal - measured) / goal;
            return String.format(Locale.ROOT, "**missed** by %.0f%%", shortBy * 100);
        }
    }

    private Targets() {
    }

    static List<Check> check(Measurements m) {
        List<Check> checks = new ArrayList<>();
        String one = "32 B x 1 in flight";
        String sixteen = "32 B x 16 in flight";
        checks.add(ratio("echo 32 B, 1 in flight: msg/s vs plain Netty", m, "echo", one, "netty", "msg/s", 1.2));
        checks.add(lower("echo 32 B, 1 in flight: p99 below plain Netty's", m, "echo", one, "netty", "p99 ms"));
        checks.add(ratio("echo 32 B, 16 in flight: msg/s vs plain Netty", m, "echo", sixteen, "netty", "msg/s", 1.3));
        checks.add(ratio("echo 32 B, 16 in flight: msg/s vs the lesson's server", m, "echo", sixteen, "node-lesson", "msg/s", 10));
        checks.add(lower("echo 32 B, 16 in flight: p99 below plain Netty's", m, "echo", sixteen, "netty", "p99 ms"));
        checks.add(ratio("fan-out: deliveries/s vs plain Netty", m, "fanout", "", "netty", "deliveries/s", 1.5));
        checks.add(ratio("fan-out: deliveries/s vs the lesson's server", m, "fanout", "", "node-lesson", "deliveries/s", 5));
        for (String[] idle : new String[][] {{"idle", "/chat"}, {"idle-ws", "/ws subscribed to one channel"}, {"idle-sse", "SSE"}}) {
            double growth = m.last(idle[0], "switchboard").map(r -> r.get("RSS growth/conn (KiB)")).orElse(Double.NaN);
            checks.add(new Check("idle " + idle[1] + ": RSS growth per connection at the largest level", growth, 2.5, true, " KiB"));
        }
        checks.add(ratio("handshakes/s vs plain Netty", m, "handshake", "", "netty", "handshakes/s", 1.2));
        // Issue 12: the cost per event, as the server's CPU time per event beside plain Netty's in the same run.
        checks.add(atMost("handshake: server CPU per handshake vs plain Netty", m, "handshake", "", "netty", "server CPU µs/handshake", 0.7));
        checks.add(atMost("echo 32 B, 1 in flight: server CPU per message vs plain Netty", m, "echo", one, "netty", "server CPU µs/msg", 0.8));
        checks.add(atMost("echo 32 B, 16 in flight: server CPU per message vs plain Netty", m, "echo", sixteen, "netty", "server CPU µs/msg", 0.6));
        checks.add(new Check("fan-out to 5,000 subscribers: deliveries/s with 0 lost and p99 < 250 ms",
                m.value("fanout", "", "switchboard", "deliveries/s"), 2_000_000, false, " deliveries/s"));
        checks.addAll(redis(m));
        return checks;
    }

    /**
     * Scale-out on Redis: publishes/s against redis-benchmark's ceiling for the same script, the p50
     * latency the Redis hop adds to a fan-out at the same rate, and the live heap an idle connection
     * keeps on a Redis node against one on the memory broker.
     */
    static List<Check> redis(Measurements m) {
        String redis = BenchReport.REDIS_PEER;
        double published = m.value("redis-publish", "", redis, "publishes/s") / m.value("redis-publish", "", "redis-benchmark", "publishes/s");
        double hop = m.value("redis-fanout", "", redis, "first-step p50 ms") - m.value("fanout", "", "switchboard", "first-step p50 ms");
        double heap = m.last("redis-idle", redis).map(r -> r.get("live heap/conn (KiB)")).orElse(Double.NaN)
                / m.last("idle", "switchboard").map(r -> r.get("live heap/conn (KiB)")).orElse(Double.NaN);
        return List.of(
                new Check("Redis: publishes/s vs redis-benchmark running the same publish script", published, 0.5, false, "x"),
                new Check("Redis: p50 the Redis hop adds to fan-out delivery at the same rate", hop, 1.0, true, " ms"),
                new Check("Redis: live heap per idle /chat connection vs the memory broker's", heap, 1.1, true, "x of memory's"));
    }

    private static Check ratio(String target, Measurements m, String scenario, String variant, String peer, String metric, double goal) {
        double ours = m.value(scenario, variant, "switchboard", metric);
        double theirs = m.value(scenario, variant, peer, metric);
        return new Check(target, ours / theirs, goal, false, "x");
    }

    /** Switchboard's value over the peer's must be below 1 (e.g. p99 latency). */
    private static Check lower(String target, Measurements m, String scenario, String variant, String peer, String metric) {
        return atMost(target, m, scenario, variant, peer, metric, 1.0);
    }

    /** Switchboard's value over the peer's must be at most {@code goal} (e.g. CPU time per event). */
    private static Check atMost(String target, Measurements m, String scenario, String variant, String peer, String metric, double goal) {
        double ours = m.value(scenario, variant, "switchboard", metric);
        double theirs = m.value(scenario, variant, peer, metric);
        return new Check(target, ours / theirs, goal, true, "x of theirs");
    }
}
