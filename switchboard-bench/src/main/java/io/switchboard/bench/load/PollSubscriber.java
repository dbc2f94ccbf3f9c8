package io.switchboard.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A polling client behind Netty's {@code HttpClientCodec} and {@code HttpObjectAggregator}:
 * {@code GET /poll?channel=chat&since=<cursor>&wait=<s>} on one kept-alive connection, the next
 * request sent with the reply's cursor. Long polling asks again at once; short polling
 * ({@code wait=0}) asks again after its interval. The first request (no cursor, {@code wait=0})
 * only learns where the channel stands.
 */
public final class PollSubscriber extends SimpleChannelInboundHandler<FullHttpResponse> {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String channel;
    private final long waitSeconds;
    private final Duration interval;
    private final ChatDeliveries deliveries;
    private final ChatDeliveries.Subscriber subscriber = new ChatDeliveries.Subscriber();
    private String cursor;
    private volatile boolean running = true;

    /** A long-polling client ({@code interval} zero) or a short-polling one ({@code waitSeconds} 0, asking every {@code interval}). */
    public PollSubscriber(String channel, long waitSeconds, Duration interval, ChatDeliveries deliveries) {
        this.channel = channel;
        this.waitSeconds = waitSeconds;
        this.interval = interval;
        this.deliveries = deliveries;
    }

    /** This subscriber's state; ready once the first reply gave it a cursor. */
    public ChatDeliveries.Subscriber subscriber() {
        return subscriber;
    }

    /** Stops asking after the reply in flight. */
    public void stop() {
        running = false;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        request(ctx);
        ctx.fireChannelActive();
    }

    private void request(ChannelHandlerContext ctx) {
        String uri = "/poll?channel=" + URLEncoder.encode(channel, StandardCharsets.UTF_8)
                + (cursor == null ? "&wait=0" : "&since=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8) + "&wait=" + waitSeconds);
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        request.headers().set(HttpHeaderNames.HOST, "127.0.0.1");
        ctx.writeAndFlush(request);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) throws IOException {
        if (response.status().code() != 200) {
            ctx.close();
            return;
        }
        boolean first = cursor == null;
        JsonNode reply;
        try (InputStream in = new ByteBufInputStream(response.content().duplicate())) {
            reply = JSON.readTree(in);
        }
        cursor = reply.path("cursor").asText(null);
        if (cursor == null) {
            ctx.close();
            return;
        }
        if (!first) {
            deliveries.scan(subscriber, response.content());
        }
        subscriber.ready(true);
        if (!running) {
            return;
        }
        if (interval.isZero() || first) {
            request(ctx);
        } else {
            ctx.executor().schedule(() -> request(ctx), interval.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
