package io.switchboard.bench.scenario;

import io.switchboard.bench.load.CpuMeter;
import io.switchboard.bench.load.ServerProcess;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/** A timed stretch of a run: warm-up (not counted) then the measured window, with CPU readings of both ends. */
final class Window {

    private final CpuMeter generator;
    private final ServerProcess server;
    private long startNanos;
    private long endNanos;
    private double generatorCores;
    private double serverCores;

    Window(CpuMeter generator, ServerProcess server) {
        this.generator = generator;
        this.server = server;
    }

    /** Waits out the warm-up, calls {@code reset} to zero the counters, then measures for {@code duration}. */
    void run(Progress progress, String label, BenchOptions options, Runnable reset, LongSupplier events, Supplier<String> status)
            throws InterruptedException {
        if (!options.warmup.isZero()) {
            progress.phase(label + " warm-up", options.warmup, status);
            Thread.sleep(options.warmup.toMillis());
            progress.endPhase();
        }
        reset.run();
        start();
        progress.phase(label, options.duration, status);
        Thread.sleep(options.duration.toMillis());
        // A window counts at least minEvents (within a minute more), so a starved machine still yields a reading.
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (events.getAsLong() < options.minEvents && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        end();
        progress.endPhase();
    }

    /** Ends the window now (when it was driven by something other than time). */
    void end() {
        endNanos = System.nanoTime();
        generatorCores = generator.cores();
        serverCores = server.cores();
    }

    /** Starts a window now, to be ended by {@link #end()}. */
    void start() {
        generator.mark();
        server.mark();
        startNanos = System.nanoTime();
    }

    double seconds() {
        return (endNanos - startNanos) / 1e9;
    }

    /** Events per second over the window. */
    double rate(long events) {
        return events / seconds();
    }

    /**
     * Adds what one event cost in CPU time over the window, in microseconds: {@code server CPU µs/<unit>}
     * and, when {@code withGenerator}, {@code generator CPU µs/<unit>}.
     */
    Result cpuPerEvent(Result result, long events, String unit, boolean withGenerator) {
        double micros = seconds() * 1e6 / Math.max(1, events);
        result.put("server CPU µs/" + unit, serverCores * micros);
        return withGenerator ? result.put("generator CPU µs/" + unit, generatorCores * micros) : result;
    }

    /** Adds the CPU columns to {@code result}. */
    Result cpu(Result result) {
        return result.put("server CPU (cores)", serverCores).put("generator CPU (cores)", generatorCores);
    }
}
