package io.switchboard.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Settings for a {@link SwitchboardClient}: timeouts, limits, keep-alive pings, which servers to
 * trust over TLS ({@code wss://}, {@code https://}) and headers sent with every opening request.
 */
public final class ClientConfig {

    private Duration connectTimeout = Duration.ofSeconds(10);
    private long maxMessageSize = 1 << 20;
    private Duration pingInterval = Duration.ZERO;
    private Path trustedCertificates;
    private int ioThreads = 1;
    private final Map<String, String> headers = new LinkedHashMap<>();

    /** How long the TCP connect, TLS and opening handshake may take together (default 10 s). */
    public Duration connectTimeout() { return connectTimeout; }

    /** Sets {@link #connectTimeout()}. */
    public ClientConfig connectTimeout(Duration timeout) {
        this.connectTimeout = positive(timeout, "connectTimeout");
        return this;
    }

    /** Largest message (or SSE event) accepted; a larger WebSocket message closes with 1009 (default 1 MiB). */
    public long maxMessageSize() { return maxMessageSize; }

    /** Sets {@link #maxMessageSize()}. */
    public ClientConfig maxMessageSize(long bytes) {
        if (bytes <= 0) {
            throw new IllegalArgumentException("maxMessageSize must be positive");
        }
        this.maxMessageSize = bytes;
        return this;
    }

    /**
     * Interval between pings (type {@code 0x9}) sent on an open WebSocket; a connection whose
     * ping is still unanswered at the next one is dropped (close code 1006). Zero: no pings (default).
     */
    public Duration pingInterval() { return pingInterval; }

    /** Sets {@link #pingInterval()}. */
    public ClientConfig pingInterval(Duration interval) {
        Objects.requireNonNull(interval, "pingInterval");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("pingInterval must not be negative");
        }
        this.pingInterval = interval;
        return this;
    }

    /** PEM file of the certificates to trust for TLS, or null for the JDK's default trust store. */
    public Path trustedCertificates() { return trustedCertificates; }

    /** Sets {@link #trustedCertificates()}, e.g. a server's self-signed certificate. */
    public ClientConfig trustedCertificates(Path pemFile) {
        this.trustedCertificates = pemFile;
        return this;
    }

    /** Event loop threads the client's connections share (default 1). */
    public int ioThreads() { return ioThreads; }

    /** Sets {@link #ioThreads()}. */
    public ClientConfig ioThreads(int threads) {
        if (threads <= 0) {
            throw new IllegalArgumentException("ioThreads must be positive");
        }
        this.ioThreads = threads;
        return this;
    }

    /** Headers sent with every opening request (e.g. {@code Authorization}, {@code Origin}). */
    public Map<String, String> headers() { return Collections.unmodifiableMap(new LinkedHashMap<>(headers)); }

    /** Adds a header to {@link #headers()}. */
    public ClientConfig header(String name, String value) {
        headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
        return this;
    }

    private static Duration positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return value;
    }
}
