package io.switchboard.server.sse;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchboard.core.ErrorCode;
import io.switchboard.core.Hub;
import io.switchboard.core.ProtocolException;
import io.switchboard.core.access.Identity;
import io.switchboard.server.Heartbeat;
import io.switchboard.server.ServerConfig;
import io.switchboard.server.SlowConsumerGrace;
import io.switchboard.server.auth.Access;
import io.switchboard.server.http.ChannelQuery;
import io.switchboard.server.http.Cors;
import io.switchboard.server.http.HttpEndpoint;
import io.switchboard.server.http.HttpPipeline;
import io.switchboard.server.http.HttpResponses;
import io.switchboard.server.http.Origins;

import java.util.List;

/**
 * Server-Sent Events: {@code GET /sse?channel=a&channel=b} streams any channels, and the lesson's
 * {@code GET /events} streams one fixed feed. The answer carries the lesson's headers, starts with
 * {@code retry:}, and every event's {@code id:} is its cursor, so a browser's EventSource resumes
 * from {@code Last-Event-ID} (or a client from {@code ?since=}) and gets exactly what it missed.
 * A private channel needs its subscription token ({@code ?sub_token=}, one per private channel), and
 * a stream opened with a connection token that has {@code exp} ends when it expires.
 */
public final class SseEndpoint implements HttpEndpoint {

    private final Hub hub;
    private final ServerConfig config;
    private final SseEvents format;
    /** The channel of a fixed feed; null: the request names them. */
    private final String feed;
    /** Comment heartbeats of this endpoint's open streams, one sweep per event loop. */
    private final Heartbeat<SseStream> heartbeat;
    /** Streams that stay over their outbound limit this long are closed (they resume from Last-Event-ID). */
    private final SlowConsumerGrace slowConsumers;

    private final Access access;
    private final Cors cors;

    private SseEndpoint(Hub hub, ServerConfig config, Access access, SseEvents format, String feed) {
        this.hub = hub;
        this.access = access;
        this.cors = new Cors(Origins.of(config.allowedOrigins()));
        this.config = config;
        this.format = format;
        this.feed = feed;
        this.heartbeat = new Heartbeat<>(config.sseHeartbeat(), SseStream::ping);
        this.slowConsumers = new SlowConsumerGrace(config.slowConsumerGrace());
    }

    /** {@code GET /sse?channel=...}: the named channels, each event named after its channel. */
    public static SseEndpoint channels(Hub hub, ServerConfig config, Access access) {
        return new SseEndpoint(hub, config, access, SseEvents.namedByChannel(), null);
    }

    /** A fixed feed: channel {@code channel}, every event named {@code eventName} (the lesson's {@code /events}). */
    public static SseEndpoint feed(Hub hub, ServerConfig config, Access access, String channel, String eventName) {
        return new SseEndpoint(hub, config, access, SseEvents.named(eventName), channel);
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!HttpVersion.HTTP_1_1.equals(request.protocolVersion())) {
            HttpResponses.error(ctx, request, ErrorCode.HTTP_VERSION_NOT_SUPPORTED, "event streams need HTTP/1.1");
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String lastEventId = request.headers().get("Last-Event-ID");
        // EventSource reconnects to the same URL, so its Last-Event-ID is newer than the URL's since.
        String cursor = lastEventId != null && !lastEventId.isBlank() ? lastEventId : ChannelQuery.parameter(uri, "since");
        ChannelQuery query;
        Identity who;
        try {
            query = feed != null ? ChannelQuery.of(List.of(feed), cursor, hub.config()) : ChannelQuery.parse(uri, cursor, hub.config());
            who = access.checkSubscribe(request, query.channels());
        } catch (ProtocolException e) {
            HttpResponses.error(ctx, request, e, cors);
            return;
        }

        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        // The lesson's headers, spelled as the lesson spells them; events follow as chunks.
        head.headers()
                .set("Content-Type", "text/event-stream")
                .set("Cache-Control", "no-cache")
                .set("Connection", "keep-alive")
                .set("Transfer-Encoding", "chunked");
        cors.allow(head, request);
        ctx.write(head);

        // The connection now only streams: HTTP handling leaves, the stream arrives.
        SseStream stream = new SseStream(hub, ctx.channel(), format, query, slowConsumers, who.expiresAt());
        HttpPipeline.leave(ctx.pipeline(), "sse", stream);
        // Flushed with the opening id once every channel is subscribed.
        ctx.channel().write(SseEvents.retry(), ctx.channel().voidPromise());
        stream.start(heartbeat);
    }
}
