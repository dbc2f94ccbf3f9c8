package io.switchboard.server.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;

import java.time.Duration;

/**
 * The pipeline of a connection while it speaks HTTP, top to bottom: the HTTP codec, the idle
 * timeout, the request aggregator, the router. It is also the one way out of HTTP, for the
 * endpoints that turn a connection into something else (a WebSocket, an event stream).
 */
public final class HttpPipeline {

    private static final String CODEC = "http";
    private static final String IDLE_TIMEOUT = "http-idle-timeout";
    private static final String AGGREGATOR = "aggregator";
    private static final String IN_ORDER = "in-order";
    private static final String ROUTER = "router";

    private HttpPipeline() {
    }

    /**
     * Adds the HTTP handlers below what {@code pipeline} already has (TLS): a connection with no
     * request in progress for {@code idleTimeout} is closed, request bodies over {@code maxBody}
     * bytes are refused, pipelined requests are answered in order, and every request goes to {@code router}. A connection over a cap
     * ({@link ConnectionLimits#admit}) gets its {@code refusal} in place of routing (null: none).
     */
    public static void addTo(ChannelPipeline pipeline, Duration idleTimeout, Duration bodyTimeout, int maxBody, HttpRouter router,
                             ChannelHandler refusal) {
        pipeline.addLast(CODEC, new HttpServerCodec());
        pipeline.addLast(IDLE_TIMEOUT, new HttpIdleTimeout(idleTimeout, bodyTimeout));
        if (refusal != null) {
            pipeline.addLast("refuse", refusal);
            return;
        }
        pipeline.addLast(AGGREGATOR, new HttpRequestAggregator(maxBody));
        pipeline.addLast(IN_ORDER, new HttpInOrder());
        pipeline.addLast(ROUTER, router);
    }

    /**
     * The connection stops speaking HTTP: {@code handler} arrives under {@code name} and the HTTP
     * handlers leave. It goes in right behind the codec, so bytes the codec already holds (a
     * client's first frames sent right behind its request) reach it when the codec leaves.
     */
    public static void leave(ChannelPipeline pipeline, String name, ChannelHandler handler) {
        pipeline.addAfter(CODEC, name, handler);
        pipeline.remove(AGGREGATOR);
        pipeline.remove(IN_ORDER);
        pipeline.remove(IDLE_TIMEOUT);
        pipeline.remove(ROUTER);
        pipeline.remove(CODEC);
    }
}
