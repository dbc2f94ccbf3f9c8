package io.switchboard.bench.scenario;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The progress bar on stderr: one line per phase ("echo switchboard 32 B x 16"), redrawn four
 * times a second with elapsed time against the phase's expected length and a live status.
 */
public final class Progress implements AutoCloseable {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final ScheduledExecutorService ticker;
    private ScheduledFuture<?> drawing;
    private boolean active;
    private String label = "";
    private long startNanos;
    private long expectedNanos;
    private Supplier<String> status = () -> "";

    private Progress(PrintStream out, boolean live) {
        this.out = out;
        this.ticker = out == null || !live ? null : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-progress");
            t.setDaemon(true);
            return t;
        });
    }

    /** A progress bar drawn on {@code out}: live on a terminal, one line per finished phase otherwise. */
    public static Progress on(PrintStream out) {
        return new Progress(out, System.console() != null);
    }

    /** No progress output (tests). */
    public static Progress silent() {
        return new Progress(null, false);
    }

    /** Starts a phase expected to last {@code expected}, showing {@code status} beside the bar. */
    public synchronized void phase(String label, Duration expected, Supplier<String> status) {
        endPhase();
        this.label = label;
        this.startNanos = System.nanoTime();
        this.expectedNanos = Math.max(1, expected.toNanos());
        this.status = status;
        this.active = out != null;
        if (ticker != null) {
            drawing = ticker.scheduleAtFixedRate(this::draw, 0, 250, TimeUnit.MILLISECONDS);
        }
    }

    /** Ends the current phase, leaving its last line on screen. */
    public synchronized void endPhase() {
        if (drawing != null) {
            drawing.cancel(false);
            drawing = null;
        }
        if (active) {
            active = false;
            draw();
            out.println();
        }
    }

    /** Prints a line of its own under the bar (a step's verdict). */
    public synchronized void note(String line) {
        endPhase();
        if (out != null) {
            out.println("  " + line);
        }
    }

    private synchronized void draw() {
        long elapsed = System.nanoTime() - startNanos;
        int filled = (int) Math.min(WIDTH, WIDTH * elapsed / expectedNanos);
        String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
        String line;
        try {
            line = String.format(Locale.ROOT, "\r%-40s [%s] %5.1fs %s", label, bar, elapsed / 1e9, status.get());
        } catch (RuntimeException e) {
            line = "\r" + label;
        }
        out.print(ticker == null ? line.substring(1) : line + "\033[K");
        out.flush();
    }

    @Override
    public void close() {
        endPhase();
        if (ticker != null) {
            ticker.shutdownNow();
        }
    }
}
