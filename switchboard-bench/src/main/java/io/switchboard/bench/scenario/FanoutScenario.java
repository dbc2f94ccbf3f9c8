package io.switchboard.bench.scenario;

import io.switchboard.bench.load.ChatDeliveries;
import io.switchboard.bench.load.Latency;
import io.switchboard.bench.load.LoadGenerator;
import io.switchboard.bench.load.ServerProcess;
import io.switchboard.bench.peer.Peer;
import io.switchboard.bench.peer.Peers;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code fanout}, {@code sse-fanout}, {@code poll-fanout}: S subscribers to the lesson's chat and
 * one publisher on {@code ws /chat} at a fixed rate. The rate doubles each step until a step loses
 * a message, repeats one, or lets p99 delivery latency pass the limit; then it bisects between the
 * last passing and the first failing rate. The result is the highest passing step: deliveries/s,
 * delivery latency, lost and duplicated (both must be 0), and the latency of the first step, whose
 * rate is the same for every peer (what a multi-node peer's hop adds is read there). On a peer of
 * several nodes ({@code switchboard+redis}) the subscribers are spread over the nodes in turn and
 * the publisher has a connection of its own to the first.
 */
public final class FanoutScenario implements Scenario {

    /** The lesson's chat channel, which {@code ws /chat} publishes to. */
    static final String CHANNEL = "chat";

    private final String name;
    private final ChatAudience.Transport transport;

    FanoutScenario(String name, ChatAudience.Transport transport) {
        this.name = name;
        this.transport = transport;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "chat fan-out over " + transport.label + ": highest rate with 0 lost and p99 under the limit, deliveries/s and latency";
    }

    @Override
    public boolean supports(String peer) {
        return transport == ChatAudience.Transport.WEBSOCKET || Peers.isSwitchboard(peer);
    }

    @Override
    public List<Result> run(Peer peer, int port, BenchOptions options, Progress progress) throws Exception {
        int subscribers = options.subscribers;
        ChatDeliveries deliveries = new ChatDeliveries();
        try (LoadGenerator generator = new LoadGenerator(port, options.generatorThreads)) {
            progress.phase(name + " " + peer.name() + " subscribing " + subscribers, Duration.ofSeconds(Math.max(2, subscribers / 2000)),
                    () -> String.format(Locale.ROOT, "%,d", subscribers));
            try (ChatAudience audience = ChatAudience.open(generator, peer.ports(), transport, subscribers, deliveries, null, options.shortPollInterval);
                 ChatPublisher publisher = ChatPublisher.open(generator)) {
                progress.endPhase();
                ServerProcess server = new ServerProcess(peer.pid());
                double startRate = options.startRate > 0 ? options.startRate : Math.max(1, 10_000.0 / subscribers);
                if (!options.warmup.isZero()) {
                    step(peer, options, progress, audience, publisher, deliveries, server, generator, startRate, options.warmup, "warm-up");
                }
                Result first = null;
                Result best = null;
                Result firstFailure = null;
                double passRate = 0;
                double failRate = 0;
                double rate = startRate;
                List<String> steps = new ArrayList<>();

                for (int i = 0; i < options.maxSteps; i++) {
                    Result step = step(peer, options, progress, audience, publisher, deliveries, server, generator, rate, options.duration, "step " + (i + 1));
                    first = first == null ? step : first;
                    boolean pass = passes(step, subscribers, options);
                    steps.add(String.format(Locale.ROOT, "%.0f/s %s", rate, pass ? "ok" : "failed"));
                    progress.note(String.format(Locale.ROOT, "%.1f msg/s: %s (lost %.0f, duplicated %.0f, p99 %.1f ms)",
                            rate, pass ? "passed" : "failed", step.get("lost"), step.get("duplicated"), step.get("p99 ms")));
                    if (pass) {
                        best = step;
                        passRate = rate;
                    } else {
                        firstFailure = firstFailure == null ? step : firstFailure;
                        failRate = rate;
                    }
                    if (audience.open() < subscribers || (failRate > 0 && failRate / Math.max(passRate, 1e-9) < 1.25)) {
                        break; // subscribers were dropped, or the bracket is tight enough
                    }
                    rate = failRate == 0 ? rate * 2 : (passRate == 0 ? rate / 2 : (passRate + failRate) / 2);
                }
                Result result = best != null ? best : firstFailure;
                result.put("steps", steps.size())
                        .put("first-step rate/s", first.get("publish rate/s"))
                        .put("first-step p50 ms", first.get("p50 ms"))
                        .put("first-step p99 ms", first.get("p99 ms"));
                return List.of(result);
            }
        }
    }

    private boolean passes(Result step, int subscribers, BenchOptions options) {
        return step.get("lost") == 0 && step.get("duplicated") == 0
                && step.get("p99 ms") < options.p99Limit.toMillis();
    }

    private Result step(Peer peer, BenchOptions options, Progress progress, ChatAudience audience, ChatPublisher publisher,
                        ChatDeliveries deliveries, ServerProcess server, LoadGenerator generator,
                        double rate, Duration duration, String label) throws Exception {
        long count = Math.max(1, Math.round(rate * duration.toMillis() / 1000.0));
        int subscribers = audience.size();
        deliveries.reset();
        Window window = new Window(generator.cpu(), server);
        window.start();
        progress.phase(String.format(Locale.ROOT, "%s %s %s %.1f msg/s", name, peer.name(), label, rate), duration,
                () -> String.format(Locale.ROOT, "%,d deliveries", deliveries.delivered()));
        try {
            publisher.publish(rate, count).get(duration.toMillis() * 2 + 30_000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException stalled) {
            // The generator could not keep the rate (its loops are swamped by deliveries): the step fails on lost messages.
            progress.note("publishing stalled at " + rate + " msg/s");
        }
        long expected = count * subscribers;
        long delivered = audience.drain(expected, Duration.ofSeconds(3), Duration.ofSeconds(30));
        window.end();
        progress.endPhase();
        Histogram histogram = deliveries.latency().histogram();
        Result result = Result.of(name, peer.name(), String.format(Locale.ROOT, "%,d subscribers", subscribers), histogram)
                .put("publish rate/s", rate)
                .put("deliveries/s", delivered / (duration.toNanos() / 1e9))
                .put("p50 ms", Latency.millis(histogram, 50))
                .put("p99 ms", Latency.millis(histogram, 99))
                .put("p999 ms", Latency.millis(histogram, 99.9))
                .put("max ms", histogram.getTotalCount() == 0 ? Double.NaN : histogram.getMaxValue() / 1e6)
                .put("lost", expected - delivered)
                .put("duplicated", deliveries.duplicated())
                .put("published", count)
                .put("delivered", delivered);
        return window.cpu(result);
    }
}
