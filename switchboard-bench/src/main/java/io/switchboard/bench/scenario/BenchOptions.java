package io.switchboard.bench.scenario;

import java.time.Duration;
import java.util.List;

/**
 * What a benchmark run is told; every scenario reads the fields it needs. The defaults are the
 * report's full-size run; the CI smoke shrinks them to seconds.
 */
public final class BenchOptions {

    /** How long each measured step runs (warm-up comes on top). */
    public Duration duration = Duration.ofSeconds(10);
    /** Warm-up before each measured step, not counted. */
    public Duration warmup = Duration.ofSeconds(2);
    /** The fewest events (echoes, handshakes) a measured window counts; it runs on past its duration until then. */
    public long minEvents = 1;
    /** Event-loop threads of the load generator. */
    public int generatorThreads = Runtime.getRuntime().availableProcessors();

    /** echo: connections. */
    public int connections = 100;
    /** echo: messages in flight per connection, one run each. */
    public List<Integer> inFlight = List.of(1, 16);
    /** echo: message sizes in bytes, one run each. */
    public List<Integer> sizes = List.of(32, 16 * 1024);

    /** fan-out: subscribers. */
    public int subscribers = 5000;
    /** fan-out: the first publish rate tried (messages/s); 0 picks one giving 10,000 deliveries/s. */
    public double startRate;
    /** fan-out: the most rate steps tried. */
    public int maxSteps = 8;
    /** fan-out: a rate passes when p99 delivery latency stays under this (and nothing is lost). */
    public Duration p99Limit = Duration.ofMillis(250);

    /**
     * idle: connection counts held, in increasing order. 19,000 is as many as one process may hold
     * here (20,000 open files per process, the server's own files included).
     */
    public List<Integer> idleLevels = List.of(5000, 10000, 19000);

    /** handshake: connections being opened and closed at once. */
    public int churnConcurrency = 64;

    /** handshake: the WebSocket path connected to (a peer's connection token is added as {@code ?token=}). */
    public String path = "/echo";

    /** Report: alternating rounds of the short scenarios (echo, handshake), of which the median run is kept. */
    public int rounds = 1;

    /** wire: publications per second while bytes are counted. */
    public double wireRate = 2;
    /** wire: subscribers per transport. */
    public int wireSubscribers = 10;
    /** Seconds-long tiny sizes: the CI smoke runs and {@code bin/bench-report --quick}, which check that everything runs, not how fast. */
    public static BenchOptions smoke() {
        BenchOptions options = new BenchOptions();
        options.duration = Duration.ofSeconds(1);
        options.warmup = Duration.ZERO;
        options.minEvents = 20;
        options.generatorThreads = 1;
        options.connections = 4;
        options.inFlight = List.of(2);
        options.subscribers = 20;
        options.startRate = 20;
        options.maxSteps = 2;
        options.idleLevels = List.of(10, 20);
        options.churnConcurrency = 4;
        options.wireSubscribers = 2;
        options.wireRate = 5;
        options.shortPollInterval = Duration.ofMillis(200);
        return options;
    }

    /** A copy to change for one run without touching this one. */
    public BenchOptions copy() {
        BenchOptions copy = new BenchOptions();
        copy.duration = duration;
        copy.rounds = rounds;
        copy.warmup = warmup;
        copy.minEvents = minEvents;
        copy.generatorThreads = generatorThreads;
        copy.connections = connections;
        copy.inFlight = inFlight;
        copy.sizes = sizes;
        copy.subscribers = subscribers;
        copy.startRate = startRate;
        copy.maxSteps = maxSteps;
        copy.p99Limit = p99Limit;
        copy.idleLevels = idleLevels;
        copy.churnConcurrency = churnConcurrency;
        copy.path = path;
        copy.wireRate = wireRate;
        copy.wireSubscribers = wireSubscribers;
        copy.shortPollInterval = shortPollInterval;
        return copy;
    }

    /** wire: interval of the short-polling client (the lesson's "ask the server every second"). */
    public Duration shortPollInterval = Duration.ofSeconds(1);
}
