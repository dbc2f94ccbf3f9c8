package io.switchboard.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with full jitter: before reconnect attempt {@code n} (from 0) a client waits
 * a random time between zero and {@code min(max, initial * multiplier^n)}, so clients dropped
 * together do not come back together. A connection that stays open for {@link #resetAfter()}
 * starts the count again.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private final double multiplier;
    private final Duration resetAfter;
    private final DoubleSupplier random;

    private Backoff(Duration initial, Duration max, double multiplier, Duration resetAfter, DoubleSupplier random) {
        this.initial = initial;
        this.max = max;
        this.multiplier = multiplier;
        this.resetAfter = resetAfter;
        this.random = random;
    }

    /** Waits of up to {@code initial}, then {@code multiplier} times longer each attempt, never over {@code max}. */
    public static Backoff exponential(Duration initial, Duration max, double multiplier) {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max");
        }
        if (!(multiplier >= 1.0)) {
            throw new IllegalArgumentException("multiplier must be at least 1");
        }
        return new Backoff(initial, max, multiplier, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** This backoff, reset once a connection has stayed open for {@code stableFor} (default: {@code max}). */
    public Backoff resetAfter(Duration stableFor) {
        return new Backoff(initial, max, multiplier, Objects.requireNonNull(stableFor, "stableFor"), random);
    }

    /** This backoff, with the jitter drawn from {@code random} (values in {@code [0, 1]}) instead of a fresh random number. */
    public Backoff jitter(DoubleSupplier random) {
        return new Backoff(initial, max, multiplier, resetAfter, Objects.requireNonNull(random, "random"));
    }

    /** The longest wait before attempt {@code attempt} (from 0): {@code min(max, initial * multiplier^attempt)}. */
    public Duration ceiling(int attempt) {
        double nanos = initial.toNanos() * Math.pow(multiplier, Math.max(0, attempt));
        return nanos >= max.toNanos() ? max : Duration.ofNanos((long) nanos);
    }

    /** The wait before attempt {@code attempt}: a random time between zero and {@link #ceiling}. */
    public Duration delay(int attempt) {
        double fraction = Math.min(1.0, Math.max(0.0, random.getAsDouble()));
        return Duration.ofNanos((long) (ceiling(attempt).toNanos() * fraction));
    }

    /** How long a connection must stay open for the attempt count to start again. */
    public Duration resetAfter() {
        return resetAfter;
    }

    @Override
    public String toString() {
        return "Backoff[initial=" + initial + ", max=" + max + ", multiplier=" + multiplier + ", resetAfter=" + resetAfter + "]";
    }
}
