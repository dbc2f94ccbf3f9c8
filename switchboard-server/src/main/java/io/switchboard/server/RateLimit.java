package io.switchboard.server;

/**
 * One connection's allowance of messages (commands on {@code /ws}, chat messages on {@code /chat}):
 * a token bucket that refills at {@code perSecond} and holds at most a burst of twice that. A message
 * over the allowance is refused with an error; a client that keeps sending while refused, a whole
 * burst's worth, is told to go (the caller closes with 1008). Used on the connection's event loop only.
 */
public final class RateLimit {

    /** What to do with one message. */
    public enum Verdict {
        /** Within the allowance. */
        ALLOW,
        /** Over the allowance: refuse this one message. */
        REFUSE,
        /** Refused for a whole burst in a row: close the connection. */
        CLOSE
    }

    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;
    private int refusedInARow;

    /** An allowance of {@code perSecond} messages a second (0 or less: unlimited). */
    public RateLimit(int perSecond) {
        this.perNano = perSecond / 1e9;
        this.burst = 2.0 * perSecond;
        this.tokens = burst;
        this.last = System.nanoTime();
    }

    /** Takes one message's token at {@code now} ({@link System#nanoTime()}). */
    public Verdict take(long now) {
        if (perNano <= 0) {
            return Verdict.ALLOW;
        }
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            refusedInARow = 0;
            return Verdict.ALLOW;
        }
        return ++refusedInARow >= burst ? Verdict.CLOSE : Verdict.REFUSE;
    }
}
