package io.switchboard.server.conformance;

import io.netty.util.ResourceLeakDetector;
import io.switchboard.server.ServerConfig;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.testkit.autobahn.AutobahnCase;
import io.switchboard.testkit.autobahn.AutobahnCases;
import io.switchboard.testkit.autobahn.CaseResult;
import io.switchboard.testkit.autobahn.ConformanceRunner;
import io.switchboard.testkit.autobahn.Verdict;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Autobahn TestSuite's case list for sections 1-7, 9, 10, 12 and 13, run against a real
 * in-process server's {@code ws /echo} with permessage-deflate on: one test per case, named by its
 * id. Every case must come out OK (NON-STRICT fails); in 12 and 13 the server must accept each
 * permessage-deflate offer and compress (UNIMPLEMENTED fails). Per-section counts go to
 * {@code target/autobahn-conformance.txt}.
 *
 * <p>Sections 12 and 13 send {@value #DEFLATE_MESSAGES} messages per case (Autobahn sends 1000;
 * {@code -Dswitchboard.conformance.deflateMessages=1000} runs them all). The data-heavy sections 9,
 * 12 and 13 run under SIMPLE leak detection: PARANOID records every touch of every buffer, which
 * multiplies their time, while the framing sections (the ones that take buffers apart) stay at PARANOID.
 */
class AutobahnConformanceTest {

    private static final int DEFLATE_MESSAGES = 100;
    private static final Set<String> HEAVY_SECTIONS = Set.of("9", "12", "13");
    private static final Set<String> DEFLATE_SECTIONS = Set.of("12", "13");
    private static final int PARALLELISM = 4;
    private static final Duration CASE_TIMEOUT = Duration.ofMinutes(3);
    private static final Path REPORT = Path.of("target", "autobahn-conformance.txt");

    private static SwitchboardServer server;
    private static ConformanceRunner runner;
    private static ResourceLeakDetector.Level leakLevel;
    private static final ConcurrentLinkedQueue<CaseResult> results = new ConcurrentLinkedQueue<>();
    private static long startNanos;

    @BeforeAll
    static void startServer() {
        // Autobahn's expectations list every frame a case sees, so the server's own heartbeat pings stay off.
        server = SwitchboardServer.start(new ServerConfig().host("127.0.0.1").port(0).demo(false)
                .permessageDeflate(true).pingInterval(Duration.ZERO));
        runner = new ConformanceRunner(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), true);
        leakLevel = ResourceLeakDetector.getLevel();
        startNanos = System.nanoTime();
    }

    @AfterAll
    static void stopServerAndWriteReport() throws IOException {
        ResourceLeakDetector.setLevel(leakLevel);
        if (server != null) {
            server.close();
        }
        List<CaseResult> all = new ArrayList<>(results);
        all.sort((a, b) -> AutobahnCase.compareIds(a.id(), b.id()));
        Map<String, Long> millisBySection = new TreeMap<>(Comparator.comparingInt(Integer::parseInt));
        all.forEach(r -> millisBySection.merge(r.section(), r.millis(), Long::sum));
        String report = "Autobahn TestSuite cases against Switchboard ws /echo (permessage-deflate on, strict close codes, "
                + messagesPerDeflateCase() + " messages per deflate case)\n"
                + ConformanceRunner.report(all, false)
                + "case time by section (s, summed over cases run " + PARALLELISM + " at a time): "
                + millisBySection.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue() / 1000).collect(Collectors.joining(", "))
                + String.format("%nTotal time %.1f s%n", (System.nanoTime() - startNanos) / 1e9);
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, report, StandardCharsets.UTF_8);
    }

    private static int messagesPerDeflateCase() {
        return Integer.getInteger("switchboard.conformance.deflateMessages", DEFLATE_MESSAGES);
    }

    @TestFactory
    List<DynamicNode> autobahnCases() {
        List<AutobahnCase> light = new ArrayList<>();
        List<AutobahnCase> heavy = new ArrayList<>();
        Map<String, List<AutobahnCase>> bySection = new LinkedHashMap<>();
        for (AutobahnCase c : AutobahnCases.all(messagesPerDeflateCase())) {
            (HEAVY_SECTIONS.contains(c.section()) ? heavy : light).add(c);
            bySection.computeIfAbsent(c.section(), s -> new ArrayList<>()).add(c);
        }
        // The light cases run at once; the heavy ones start when the light ones are done, under SIMPLE leak detection.
        Map<String, CompletableFuture<CaseResult>> running = new LinkedHashMap<>(runner.start(light, PARALLELISM));
        CompletableFuture<Map<String, CompletableFuture<CaseResult>>> heavyRun = CompletableFuture
                .allOf(running.values().toArray(CompletableFuture[]::new))
                .handle((done, failure) -> {
                    ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
                    return runner.start(heavy, PARALLELISM);
                });
        List<DynamicNode> sections = new ArrayList<>();
        bySection.forEach((section, cases) -> sections.add(DynamicContainer.dynamicContainer("section " + section,
                cases.stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> {
                    CompletableFuture<CaseResult> future = HEAVY_SECTIONS.contains(section)
                            ? heavyRun.get(CASE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(c.id())
                            : running.get(c.id());
                    assertPasses(future.get(CASE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
                })))));
        return sections;
    }

    private static void assertPasses(CaseResult result) {
        results.add(result);
        assertConforms(result);
    }

    /**
     * Every case must pass; a deflate case must also have compressed: a server that declined the
     * offer (UNIMPLEMENTED, which RFC 7692 allows) would test nothing of permessage-deflate.
     */
    static void assertConforms(CaseResult result) {
        if (DEFLATE_SECTIONS.contains(result.section())) {
            assertThat(result.verdict()).as("case %s: permessage-deflate must be negotiated, not declined", result.id())
                    .isNotEqualTo(Verdict.UNIMPLEMENTED);
        }
        assertThat(result.passed()).as("%s", new Object() {
            @Override
            public String toString() {
                return result.describe();
            }
        }).isTrue();
    }
}
