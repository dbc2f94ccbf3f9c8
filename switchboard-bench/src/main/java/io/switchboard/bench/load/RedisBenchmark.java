package io.switchboard.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Redis's own ceiling for one command on this machine: {@code redis-benchmark} sending it from
 * {@code connections} clients, {@code pipeline} at a time each ({@code -c}, {@code -P}), read from
 * its {@code --csv} line.
 */
public final class RedisBenchmark {

    /** What one redis-benchmark run measured: requests/s and its latency percentiles in milliseconds. */
    public record Reading(double requestsPerSecond, double p50Millis, double p99Millis) {
    }

    private RedisBenchmark() {
    }

    /** Runs {@code requests} of {@code command} against host:port and returns what it measured. */
    public static Reading run(String host, int port, int connections, int pipeline, long requests, List<String> command)
            throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of("redis-benchmark", "-h", host, "-p", Integer.toString(port),
                "-c", Integer.toString(connections), "-P", Integer.toString(pipeline), "-n", Long.toString(requests), "--csv"));
        line.addAll(command);
        Process process = new ProcessBuilder(line).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IOException("redis-benchmark failed: " + out.strip());
        }
        return parse(out);
    }

    /**
     * The reading in redis-benchmark's {@code --csv} output: a header line
     * ({@code "test","rps","avg_latency_ms","min_latency_ms","p50_latency_ms",...,"p99_latency_ms",...})
     * and one line per test, of which the first is read. The test's name is the command as given,
     * unescaped (it may hold commas and quotes), so the numbers are read from the end of the line.
     */
    static Reading parse(String csv) throws IOException {
        List<String> lines = csv.lines().filter(l -> !l.isBlank()).toList();
        if (lines.size() < 2) {
            throw new IOException("no reading in redis-benchmark's output: " + csv.strip());
        }
        List<String> header = unquoted(lines.get(0).split(","));
        String[] parts = lines.get(1).split(",");
        if (parts.length < header.size()) {
            throw new IOException("unreadable redis-benchmark output: " + csv.strip());
        }
        // Field k of the header (k >= 1) is the (header.size() - k)-th field from the end.
        List<String> numbers = unquoted(Arrays.copyOfRange(parts, parts.length - header.size() + 1, parts.length));
        try {
            return new Reading(number(header, numbers, "rps"), number(header, numbers, "p50_latency_ms"),
                    number(header, numbers, "p99_latency_ms"));
        } catch (RuntimeException e) {
            throw new IOException("unreadable redis-benchmark output: " + csv.strip(), e);
        }
    }

    private static double number(List<String> header, List<String> numbers, String name) {
        return Double.parseDouble(numbers.get(header.indexOf(name) - 1));
    }

    private static List<String> unquoted(String[] fields) {
        List<String> out = new ArrayList<>(fields.length);
        for (String field : fields) {
            String f = field.strip();
            out.add(f.length() >= 2 && f.startsWith("\"") && f.endsWith("\"") ? f.substring(1, f.length() - 1) : f);
        }
        return out;
    }
}
