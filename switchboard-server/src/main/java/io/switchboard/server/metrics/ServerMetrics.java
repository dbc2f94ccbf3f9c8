package io.switchboard.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.core.Hub;
import io.switchboard.server.http.ApiKey;
import io.switchboard.server.http.HttpEndpoint;
import io.switchboard.server.http.HttpResponses;

import java.nio.charset.StandardCharsets;
import java.util.function.IntSupplier;
import java.util.function.ToDoubleFunction;

/**
 * {@code GET /metrics}: the server's gauges and counters in the Prometheus text format —
 * connections by transport, channels, subscribers, publications and deliveries, WebSocket
 * handshakes, Netty's direct memory, and the JVM's memory, GC, threads and CPU.
 *
 * <p>Every value is read when scraped; nothing here sits on the path of a message. Meters hold
 * their sources strongly: Micrometer's default weak reference lets a collection turn them into NaN.
 */
public final class ServerMetrics implements HttpEndpoint, AutoCloseable {

    /** Prometheus text exposition format, version 0.0.4. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    /** Function counters hold their source weakly (with no opt-out): these fields keep them alive. */
    private final Hub hub;
    private final Source source;

    /** What the server reports about itself; read on every scrape. */
    public interface Source {
        /** Open WebSocket connections. */
        int webSocketConnections();

        /** Open HTTP connections (SSE streams and polls included), not upgraded. */
        int httpConnections();

        /** Handshakes answered with 101. */
        long handshakesAccepted();

        /** Handshakes answered with an HTTP error. */
        long handshakesRejected();
    }

    /** Who may scrape: callers with the key, or without one, this machine only. */
    private final ApiKey access;

    /** Metrics of {@code hub} and {@code source}, plus the JVM's, for callers with {@code key} (null: this machine only). */
    public ServerMetrics(Hub hub, Source source, String key) {
        this.access = new ApiKey(key, "--metrics-key");
        this.hub = hub;
        this.source = source;
        gauge("switchboard.connections", "Open connections", "transport", "websocket", source::webSocketConnections);
        gauge("switchboard.connections", "Open connections", "transport", "http", source::httpConnections);
        Gauge.builder("switchboard.channels", hub, Hub::channelCount)
                .description("Channels with at least one subscriber on this node").strongReference(true).register(registry);
        Gauge.builder("switchboard.subscribers", hub, Hub::subscriberCount)
                .description("Subscribers (connections, streams, polls) on this node").strongReference(true).register(registry);
        counter("switchboard.publications", "Publications accepted by this node", hub, Hub::publishedCount);
        counter("switchboard.deliveries", "Publications handed to local subscribers", hub, Hub::deliveredCount);
        FunctionCounter.builder("switchboard.handshakes", source, s -> s.handshakesAccepted())
                .description("WebSocket opening handshakes").tag("result", "accepted").register(registry);
        FunctionCounter.builder("switchboard.handshakes", source, s -> s.handshakesRejected())
                .description("WebSocket opening handshakes").tag("result", "rejected").register(registry);
        if (ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider allocator) {
            Gauge.builder("netty.allocator.memory.used", allocator, a -> a.metric().usedDirectMemory())
                    .description("Direct memory held by Netty's buffer allocator").baseUnit("bytes")
                    .tag("type", "direct").strongReference(true).register(registry);
            Gauge.builder("netty.allocator.memory.used", allocator, a -> a.metric().usedHeapMemory())
                    .description("Heap memory held by Netty's buffer allocator").baseUnit("bytes")
                    .tag("type", "heap").strongReference(true).register(registry);
        }
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    private void gauge(String name, String description, String tag, String value, IntSupplier supplier) {
        Gauge.builder(name, supplier, IntSupplier::getAsInt).description(description).tag(tag, value)
                .strongReference(true).register(registry);
    }

    private <T> void counter(String name, String description, T source, ToDoubleFunction<T> count) {
        FunctionCounter.builder(name, source, count).description(description).register(registry);
    }

    /** The current values in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!access.check(ctx, request)) {
            return;
        }
        byte[] body = scrape().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                ctx.alloc().buffer(body.length).writeBytes(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, CONTENT_TYPE)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
        HttpResponses.send(ctx, request, response);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
