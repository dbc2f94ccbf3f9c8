package io.switchboard.bench.load;

import io.netty.util.concurrent.FastThreadLocal;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Latencies in nanoseconds recorded from any thread, read per interval. Each recording thread (an
 * event loop of the generator) writes to a {@link SingleWriterRecorder} of its own, so recording
 * costs no atomic shared with the other threads; reading merges them.
 */
public final class Latency {

    private static final long HIGHEST = TimeUnit.MINUTES.toNanos(2);

    private final List<SingleWriterRecorder> recorders = new CopyOnWriteArrayList<>();
    private final FastThreadLocal<SingleWriterRecorder> mine = new FastThreadLocal<>() {
        @Override
        protected SingleWriterRecorder initialValue() {
            SingleWriterRecorder recorder = new SingleWriterRecorder(HIGHEST, 3);
            recorders.add(recorder);
            return recorder;
        }
    };
    private final Histogram total = new Histogram(HIGHEST, 3);

    /** Records one latency; values past two minutes count as two minutes. */
    public void record(long nanos) {
        mine.get().recordValue(Math.max(0, Math.min(nanos, HIGHEST)));
    }

    /** Forgets everything recorded so far (end of warm-up). */
    public synchronized void reset() {
        for (SingleWriterRecorder recorder : recorders) {
            recorder.getIntervalHistogram();
        }
        total.reset();
    }

    /** Everything recorded since the last {@link #reset()}. */
    public synchronized Histogram histogram() {
        for (SingleWriterRecorder recorder : recorders) {
            total.add(recorder.getIntervalHistogram());
        }
        return total.copy();
    }

    /** Milliseconds at {@code percentile} of {@code histogram}. */
    public static double millis(Histogram histogram, double percentile) {
        return histogram.getTotalCount() == 0 ? Double.NaN : histogram.getValueAtPercentile(percentile) / 1e6;
    }
}
