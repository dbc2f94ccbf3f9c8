package io.switchboard.bench.scenario;

import io.switchboard.bench.load.ByteCounter;
import io.switchboard.bench.load.ChatDeliveries;
import io.switchboard.bench.load.LoadGenerator;
import io.switchboard.bench.peer.Peer;
import io.switchboard.bench.peer.Peers;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code wire}: bytes on the wire per delivered chat message for WebSocket, SSE, long polling and
 * short polling, the lesson's overhead comparison measured. Bytes are counted at the socket (TCP
 * payload, both directions) on the subscribers' connections once they are subscribed, so the
 * opening handshake is left out and every poll request is counted.
 */
public final class WireScenario implements Scenario {

    @Override
    public String name() {
        return "wire";
    }

    @Override
    public String description() {
        return "bytes on the wire per delivered message: WebSocket, SSE, long polling, short polling";
    }

    @Override
    public boolean supports(String peer) {
        return Peers.isSwitchboard(peer);
    }

    @Override
    public List<Result> run(Peer peer, int port, BenchOptions options, Progress progress) throws Exception {
        List<Result> results = new ArrayList<>();
        int payload = ChatDeliveries.publication(0).getBytes(StandardCharsets.UTF_8).length;
        try (LoadGenerator generator = new LoadGenerator(port, options.generatorThreads)) {
            for (ChatAudience.Transport transport : ChatAudience.Transport.values()) {
                ByteCounter counter = new ByteCounter();
                ChatDeliveries deliveries = new ChatDeliveries();
                try (ChatAudience audience = ChatAudience.open(generator, peer.ports(), transport, options.wireSubscribers, deliveries, counter,
                        options.shortPollInterval);
                     ChatPublisher publisher = ChatPublisher.open(generator)) {
                    counter.reset();
                    long count = Math.max(1, Math.round(options.wireRate * options.duration.toMillis() / 1000.0));
                    progress.phase("wire " + transport.label, options.duration, () -> String.format(Locale.ROOT, "%,d bytes", counter.total()));
                    publisher.publish(options.wireRate, count).get(options.duration.toMillis() * 4 + 30_000, TimeUnit.MILLISECONDS);
                    long expected = count * audience.size();
                    Duration quiet = options.shortPollInterval.plusSeconds(2);
                    long delivered = audience.drain(expected, quiet, quiet.multipliedBy(4));
                    progress.endPhase();
                    results.add(Result.of(name(), peer.name(), transport.label, null)
                            .put("bytes/msg", (double) counter.total() / Math.max(1, delivered))
                            .put("received/msg", (double) counter.read() / Math.max(1, delivered))
                            .put("sent/msg", (double) counter.written() / Math.max(1, delivered))
                            .put("published JSON bytes", payload)
                            .put("delivered", delivered)
                            .put("lost", expected - delivered));
                }
            }
        }
        return results;
    }
}
