package io.switchboard.server.demo;

import io.switchboard.core.Hub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The demo behind the lesson's {@code GET /events}: every interval it publishes a stock price
 * {@code {"price":142.50,"time":1733331600000}} (the lesson's {@code Date.now()}: milliseconds since the epoch) to channel {@value #CHANNEL}, the price
 * taking a small random step each time.
 */
public final class PriceTicker implements AutoCloseable {

    /** The channel the prices are published to. */
    public static final String CHANNEL = "prices";
    /** The SSE event name of a price on {@code /events}. */
    public static final String EVENT = "price-update";

    private static final Logger log = LoggerFactory.getLogger(PriceTicker.class);

    private final Hub hub;
    private final ScheduledFuture<?> task;
    /** This ticker's name in the lease: of several nodes on one broker, only the holder ticks. */
    private final String holder = UUID.randomUUID().toString();
    private final Duration lease;
    private double price = 142.50;

    private PriceTicker(Hub hub, ScheduledExecutorService scheduler, Duration interval) {
        this.hub = hub;
        this.lease = interval.multipliedBy(3);
        long nanos = interval.toNanos();
        this.task = scheduler.scheduleAtFixedRate(this::tick, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    /** Starts publishing to {@code hub} every {@code interval}, on {@code scheduler}. */
    public static PriceTicker start(Hub hub, ScheduledExecutorService scheduler, Duration interval) {
        return new PriceTicker(hub, scheduler, interval);
    }

    private void tick() {
        hub.lease("demo-ticker", holder, lease).whenComplete((held, failure) -> {
            if (failure != null) {
                log.debug("ticker lease not taken", failure);
            } else if (held) {
                publish();
            }
        });
    }

    private void publish() {
        price = Math.max(1, price + ThreadLocalRandom.current().nextGaussian() * 0.25);
        String data = String.format(Locale.ROOT, "{\"price\":%.2f,\"time\":%d}", price, System.currentTimeMillis());
        hub.publish(CHANNEL, data, null).whenComplete((message, failure) -> {
            if (failure != null) {
                log.debug("price not published", failure);
            }
        });
    }

    /** Stops the ticker. */
    @Override
    public void close() {
        task.cancel(false);
    }
}
