package io.switchboard.bench.load;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;

/** Latencies in nanoseconds recorded from any thread (HdrHistogram {@link Recorder}), read per interval. */
public final class Latency {

    private static final long HIGHEST = TimeUnit.MINUTES.toNanos(2);

    private final Recorder recorder = new Recorder(HIGHEST, 3);
    private final Histogram total = new Histogram(HIGHEST, 3);

    /** Records one latency; values past two minutes count as two minutes. */
    public void record(long nanos) {
        recorder.recordValue(Math.max(0, Math.min(nanos, HIGHEST)));
    }

    /** Forgets everything recorded so far (end of warm-up). */
    public synchronized void reset() {
        recorder.getIntervalHistogram();
        total.reset();
    }

    /** Everything recorded since the last {@link #reset()}. */
    public synchronized Histogram histogram() {
        total.add(recorder.getIntervalHistogram());
        return total.copy();
    }

    /** Milliseconds at {@code percentile} of {@code histogram}. */
    public static double millis(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1e6;
    }
}
