package io.switchboard.bench.scenario;

import org.HdrHistogram.Histogram;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured row: a scenario's variant (e.g. "32 B x 16 in flight") against one peer, its
 * metrics in table order (name with unit, value), and the latency distribution when there is one.
 */
public record Result(String scenario, String peer, String variant, Map<String, Double> metrics, Histogram latency) {

    /** A result with metrics filled in afterwards through {@link #put}. */
    public static Result of(String scenario, String peer, String variant, Histogram latency) {
        return new Result(scenario, peer, variant, new LinkedHashMap<>(), latency);
    }

    /** Adds a metric; returns this. */
    public Result put(String name, double value) {
        metrics.put(name, value);
        return this;
    }

    /** The metric's value, or NaN when this result does not have it. */
    public double get(String name) {
        return metrics.getOrDefault(name, Double.NaN);
    }
}
