package io.switchboard.testkit.autobahn;

import io.switchboard.testkit.ClientDeflate;
import io.switchboard.testkit.RawWebSocket;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * Runs {@link AutobahnCases} against an echo endpoint, one connection per case, several cases at
 * a time, and judges each with Autobahn's verdict rules. In strict mode (the default) a server
 * that fails a connection must also say why with the expected close code, where Autobahn would
 * accept a silent TCP drop.
 *
 * <p>From the command line: {@code java ... io.switchboard.testkit.autobahn.ConformanceRunner
 * [ws://host:port/echo] [--cases 1,2,6.4.*] [--parallel 4] [--deflate-messages 1000] [--autobahn-rules]};
 * the URL may also come from the system property {@code switchboard.conformance.url}.
 */
public final class ConformanceRunner {

    /** System property naming the echo endpoint to test. */
    public static final String URL_PROPERTY = "switchboard.conformance.url";

    private final URI url;
    private final boolean strict;

    /** A runner against {@code url} (an echo endpoint); {@code strict} adds Switchboard's close-code rule. */
    public ConformanceRunner(URI url, boolean strict) {
        this.url = url;
        this.strict = strict;
    }

    /** Runs one case and judges it; never throws for a misbehaving server. */
    public CaseResult run(AutobahnCase c) {
        long start = System.nanoTime();
        RawWebSocket ws;
        ClientDeflate deflate = null;
        Map<String, String> headers = c.offer() == null ? Map.of() : Map.of("Sec-WebSocket-Extensions", c.offer());
        try {
            ws = RawWebSocket.connect(url, headers, Duration.ofSeconds(10));
        } catch (IOException e) {
            return failed(c, "opening handshake failed: " + e.getMessage(), start);
        }
        try {
            String ext = String.join(", ", ws.handshakeResponse().headers("Sec-WebSocket-Extensions"));
            if (c.offer() == null && !ext.isBlank()) {
                return failed(c, "server answered extensions \"" + ext + "\" that were not offered", start);
            }
            if (c.offer() != null) {
                try {
                    deflate = ClientDeflate.accept(c.offer(), ext);
                } catch (IllegalArgumentException e) {
                    return failed(c, "invalid permessage-deflate answer: " + e.getMessage(), start);
                }
            }
            Session s = new Session(ws, deflate);
            if (deflate != null) s.trace("  negotiated: " + deflate.agreed());
            try {
                c.script().run(s);
                if (!s.tcpClosed) s.pumpToEnd();
            } catch (RuntimeException e) {
                s.violation("harness error: " + e);
            }
            return judge(c, s, start);
        } finally {
            ws.close();
        }
    }

    private CaseResult failed(AutobahnCase c, String why, long start) {
        return new CaseResult(c.id(), c.description(), Verdict.FAILED, Verdict.FAILED, Verdict.FAILED, Verdict.FAILED, why, why,
                List.of(), List.of(), null, null, false, false, false, List.of(why), List.of(), elapsed(start), c.informational());
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private CaseResult judge(AutobahnCase c, Session s, long start) {
        Verdict behavior;
        String result;
        if (s.behavior != null) {
            behavior = s.behavior;
            result = s.result;
        } else {
            behavior = Verdict.FAILED;
            result = "Actual events differ from any expected.";
            for (Map.Entry<Verdict, List<Event>> e : s.expected.entrySet()) {
                if (e.getValue().equals(s.received)) {
                    behavior = e.getKey();
                    result = "Actual events match at least one expected.";
                    break;
                }
            }
        }
        boolean wasClean = s.sentClose && s.receivedClose && !s.droppedByMe;
        ExpectedClose ec = s.expectedClose;
        Verdict behaviorClose;
        String resultClose;
        if (ec.closedByMe() != s.closedByMe) {
            behaviorClose = Verdict.FAILED;
            resultClose = "The connection was failed by the wrong endpoint";
        } else if (ec.requireClean() && !wasClean) {
            behaviorClose = Verdict.UNCLEAN;
            resultClose = "The spec requires the connection to be failed cleanly here";
        } else if (s.remoteCloseCode != null && !ec.closeCodes().contains(s.remoteCloseCode)) {
            behaviorClose = Verdict.WRONG_CODE;
            resultClose = "The close code should have been " + ec.closeCodes() + " or empty";
        } else if (s.droppedByMe) {
            behaviorClose = Verdict.FAILED_BY_CLIENT;
            resultClose = "It is preferred that the server close the TCP connection";
        } else {
            behaviorClose = Verdict.OK;
            resultClose = "Connection was properly closed";
        }
        if (!s.violations.isEmpty()) {
            behavior = Verdict.FAILED;
            result = "Server violated the protocol: " + s.violations;
        }
        Verdict autobahn = behavior.worst(behaviorClose);
        Verdict verdict = autobahn;
        boolean failureCase = !ec.requireClean() && !ec.closeCodes().contains(1000);
        if (strict && failureCase && verdict == Verdict.OK && (s.remoteCloseCode == null || !ec.closeCodes().contains(s.remoteCloseCode))) {
            verdict = Verdict.FAILED;
            resultClose = "Strict: the server must fail the connection with a close frame carrying " + ec.closeCodes()
                    + ", it sent " + (s.receivedClose ? "a close frame without a code" : "no close frame");
        }
        if (c.informational()) {
            autobahn = Verdict.INFORMATIONAL;
            if (!(strict && c.strictWhenInformational())) verdict = Verdict.INFORMATIONAL;
        }
        return new CaseResult(c.id(), c.description(), verdict, autobahn, behavior, behaviorClose, result, resultClose,
                s.expected.getOrDefault(Verdict.OK, List.of()).stream().map(Event::toString).collect(Collectors.toList()),
                s.received.stream().limit(20).map(Event::toString).collect(Collectors.toList()),
                s.remoteCloseCode, s.remoteCloseReason, s.closedByMe, wasClean, s.droppedByMe, List.copyOf(s.violations),
                s.traceLines(), elapsed(start), c.informational());
    }

    /**
     * Starts every case on a pool of {@code parallelism} threads, heaviest first, and returns a
     * future per case id in case order.
     */
    public Map<String, CompletableFuture<CaseResult>> start(List<AutobahnCase> cases, int parallelism) {
        ExecutorService pool = Executors.newFixedThreadPool(parallelism, r -> {
            Thread t = new Thread(r, "autobahn-case");
            t.setDaemon(true);
            return t;
        });
        Map<String, CompletableFuture<CaseResult>> futures = new LinkedHashMap<>();
        for (AutobahnCase c : cases) futures.put(c.id(), new CompletableFuture<>());
        List<AutobahnCase> order = new ArrayList<>(cases);
        order.sort(Comparator.comparingInt(AutobahnCase::weight).reversed());
        AtomicInteger left = new AtomicInteger(order.size());
        for (AutobahnCase c : order) {
            pool.execute(() -> {
                try {
                    futures.get(c.id()).complete(run(c));
                } catch (Throwable t) {
                    futures.get(c.id()).completeExceptionally(t);
                } finally {
                    if (left.decrementAndGet() == 0) pool.shutdown();
                }
            });
        }
        if (order.isEmpty()) pool.shutdown();
        return futures;
    }

    /**
     * Selects cases by a comma-separated filter: a section ("6"), an exact id ("6.4.1") or a
     * prefix with a star ("6.4.*"); null or empty selects all.
     */
    public static List<AutobahnCase> select(List<AutobahnCase> all, String filter) {
        if (filter == null || filter.isBlank()) return all;
        List<AutobahnCase> out = new ArrayList<>();
        for (AutobahnCase c : all) {
            for (String f : filter.split(",")) {
                f = f.trim();
                boolean match = f.endsWith("*") ? c.id().startsWith(f.substring(0, f.length() - 1))
                        : c.id().equals(f) || c.section().equals(f);
                if (match) {
                    out.add(c);
                    break;
                }
            }
        }
        return out;
    }

    /** Command-line entry: runs the selected cases against a URL and prints per-section counts and every failure. */
    public static void main(String[] args) throws Exception {
        String url = System.getProperty(URL_PROPERTY, "ws://127.0.0.1:9001/");
        String filter = null;
        int parallel = 4;
        int deflateMessages = 1000;
        boolean strict = true;
        boolean verbose = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--cases" -> filter = args[++i];
                case "--parallel" -> parallel = Integer.parseInt(args[++i]);
                case "--deflate-messages" -> deflateMessages = Integer.parseInt(args[++i]);
                case "--autobahn-rules" -> strict = false;
                case "--verbose" -> verbose = true;
                default -> url = args[i];
            }
        }
        List<AutobahnCase> cases = select(AutobahnCases.all(deflateMessages), filter);
        ConformanceRunner runner = new ConformanceRunner(URI.create(url), strict);
        System.out.println("Running " + cases.size() + " cases against " + url + (strict ? " (strict)" : " (Autobahn rules)"));
        long t0 = System.nanoTime();
        Map<String, CompletableFuture<CaseResult>> futures = runner.start(cases, parallel);
        List<CaseResult> results = new ArrayList<>();
        for (CompletableFuture<CaseResult> f : futures.values()) results.add(f.get());
        System.out.print(report(results, verbose));
        System.out.printf("Total time %.1f s%n", (System.nanoTime() - t0) / 1e9);
        System.exit(results.stream().allMatch(CaseResult::passed) ? 0 : 1);
    }

    /** A plain-text report: per-section verdict counts, then every case that did not pass, in detail. */
    public static String report(List<CaseResult> results, boolean verbose) {
        StringBuilder sb = new StringBuilder();
        Map<String, Map<Verdict, Integer>> bySection = new TreeMap<>(Comparator.comparingInt(Integer::parseInt));
        for (CaseResult r : results) bySection.computeIfAbsent(r.section(), k -> new TreeMap<>()).merge(r.verdict(), 1, Integer::sum);
        sb.append("section  cases  verdicts\n");
        for (Map.Entry<String, Map<Verdict, Integer>> e : bySection.entrySet()) {
            int n = e.getValue().values().stream().mapToInt(Integer::intValue).sum();
            sb.append(String.format("%-8s %5d  %s%n", e.getKey(), n, e.getValue().entrySet().stream()
                    .map(v -> v.getKey().label() + "=" + v.getValue()).collect(Collectors.joining(", "))));
        }
        long passed = results.stream().filter(CaseResult::passed).count();
        sb.append(passed).append(" of ").append(results.size()).append(" cases passed\n");
        for (CaseResult r : results) {
            if (!r.passed() || verbose) sb.append('\n').append(r.describe());
            else if (r.informational()) sb.append(r.summary()).append('\n');
        }
        return sb.toString();
    }
}
