package io.switchboard.bench.scenario;

import io.switchboard.bench.load.Latency;
import io.switchboard.bench.load.LoadGenerator;
import io.switchboard.bench.load.ServerProcess;
import io.switchboard.bench.peer.Peer;
import io.switchboard.websocket.WebSocketListener;
import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code handshake}: connection churn on {@code /echo} (or the path in the options, with the
 * peer's connection token if it verifies them). C connections at a time each open (TCP
 * connect and opening handshake), close with 1000, and are replaced as soon as their TCP
 * connection ends; handshakes/s and the time from connect to open.
 */
public final class HandshakeScenario implements Scenario {

    @Override
    public String name() {
        return "handshake";
    }

    @Override
    public String description() {
        return "connection churn on ws /echo (or --path): open, close with 1000, reconnect; handshakes/s";
    }

    @Override
    public List<Result> run(Peer peer, int port, BenchOptions options, Progress progress) throws Exception {
        Latency latency = new Latency();
        LongAdder handshakes = new LongAdder();
        LongAdder failures = new LongAdder();
        int concurrency = options.churnConcurrency;
        CountDownLatch stopped = new CountDownLatch(concurrency);
        Churn churn = new Churn(withToken(options.path, peer.connectionToken()), latency, handshakes, failures, stopped);
        try (LoadGenerator generator = new LoadGenerator(port, options.generatorThreads)) {
            churn.generator = generator;
            for (int i = 0; i < concurrency; i++) {
                churn.next();
            }
            Window window = new Window(generator.cpu(), new ServerProcess(peer.pid()));
            window.run(progress, "handshake " + peer.name() + " x" + concurrency, options, () -> {
                handshakes.reset();
                failures.reset();
                latency.reset();
            }, handshakes::sum, () -> String.format(Locale.ROOT, "%,d handshakes", handshakes.sum()));
            long counted = handshakes.sum();
            long failed = failures.sum();
            Histogram histogram = latency.histogram();
            churn.running = false;
            stopped.await(30, TimeUnit.SECONDS);
            Result result = Result.of(name(), peer.name(), concurrency + " at a time" + variant(options.path), histogram)
                    .put("handshakes/s", window.rate(counted))
                    .put("p50 ms", Latency.millis(histogram, 50))
                    .put("p99 ms", Latency.millis(histogram, 99))
                    .put("failed", failed);
            return List.of(window.cpu(window.cpuPerEvent(result, counted, "handshake", false)));
        }
    }

    private static String variant(String path) {
        return path.equals("/echo") ? "" : " on " + path;
    }

    /** {@code path} carrying {@code token} as {@code ?token=} (the way a browser can present it), or as it is without one. */
    static String withToken(String path, String token) {
        if (token == null) {
            return path;
        }
        return path + (path.contains("?") ? "&" : "?") + "token=" + token;
    }

    /** One connection after another: open, close, and open the next once TCP is gone. */
    private static final class Churn {
        private final String path;
        private final Latency latency;
        private final LongAdder handshakes;
        private final LongAdder failures;
        private final CountDownLatch stopped;
        LoadGenerator generator;
        volatile boolean running = true;

        Churn(String path, Latency latency, LongAdder handshakes, LongAdder failures, CountDownLatch stopped) {
            this.path = path;
            this.latency = latency;
            this.handshakes = handshakes;
            this.failures = failures;
            this.stopped = stopped;
        }

        void next() {
            if (!running) {
                stopped.countDown();
                return;
            }
            long start = System.nanoTime();
            generator.webSocket(path, new WebSocketListener() { }, null).whenComplete((webSocket, failure) -> {
                if (failure != null) {
                    failures.increment();
                    next();
                    return;
                }
                latency.record(System.nanoTime() - start);
                handshakes.increment();
                webSocket.channel().closeFuture().addListener(f -> next());
                webSocket.close(1000, "");
            });
        }
    }
}
