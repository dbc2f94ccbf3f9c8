package io.switchboard.server.websocket;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.core.ErrorCode;
import io.switchboard.core.ProtocolException;
import io.switchboard.server.Heartbeat;
import io.switchboard.server.ServerConfig;
import io.switchboard.server.SlowConsumerGrace;
import io.switchboard.server.http.HttpPipeline;
import io.switchboard.server.http.HttpResponses;
import io.switchboard.server.http.Origins;
import io.switchboard.websocket.CloseCode;
import io.switchboard.websocket.DeflateParameters;
import io.switchboard.websocket.Handshake;
import io.switchboard.websocket.ReadyState;
import io.switchboard.websocket.WebSocketListener;
import io.switchboard.websocket.MessageBudget;
import io.switchboard.websocket.WebSocketProtocolHandler;

import java.util.concurrent.atomic.LongAdder;

/**
 * The server side of the opening handshake: checks the request, answers {@code 101 Switching
 * Protocols} (or a plain HTTP error), then turns the connection from HTTP into WebSocket
 * ({@link HttpPipeline#leave}).
 */
public final class WebSocketUpgrade {

    /** Messages below this size go uncompressed even when permessage-deflate is negotiated. */
    private static final int DEFLATE_THRESHOLD = 256;

    private final ServerConfig config;
    private final ChannelGroup httpConnections;
    private final ChannelGroup webSockets;
    private final Heartbeat<WebSocketProtocolHandler> heartbeat;
    private final SlowConsumerGrace slowConsumers;
    private final Origins origins;
    /** Memory for partly received messages, shared by every WebSocket of the server. */
    private final MessageBudget messageBudget;
    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();

    /**
     * An upgrader with the server's limits. An upgraded connection moves from {@code httpConnections}
     * to {@code webSockets} (each connection is tracked once, for counting and shutdown).
     */
    public WebSocketUpgrade(ServerConfig config, ChannelGroup httpConnections, ChannelGroup webSockets) {
        this.config = config;
        this.httpConnections = httpConnections;
        this.webSockets = webSockets;
        this.heartbeat = new Heartbeat<>(config.pingInterval(), WebSocketUpgrade::ping);
        this.slowConsumers = new SlowConsumerGrace(config.slowConsumerGrace());
        this.origins = Origins.of(config.allowedOrigins());
        this.messageBudget = new MessageBudget(config.partialMessageBudget());
    }

    /**
     * Server pings: a peer from which nothing has arrived since the previous ping (no pong, and no
     * other frame either) is considered dead and dropped (close 1001, then TCP close), so half-open
     * connections do not pile up.
     */
    private static boolean ping(WebSocketProtocolHandler webSocket) {
        ReadyState state = webSocket.readyState();
        if (state == ReadyState.OPEN) {
            if (webSocket.pingOutstanding()) {
                webSocket.terminate(CloseCode.GOING_AWAY, "no pong to the last ping");
            } else {
                webSocket.ping(Unpooled.EMPTY_BUFFER);
            }
        }
        return state != ReadyState.CLOSED;
    }

    /** Handshakes answered with 101 so far. */
    public long acceptedCount() {
        return accepted.sum();
    }

    /** Handshakes answered with an HTTP error so far. */
    public long rejectedCount() {
        return rejected.sum();
    }

    /**
     * Answers a handshake for {@code endpoint}: 101 and the switch to WebSocket, or an HTTP error
     * after which the connection closes (a client that asked to upgrade is not served HTTP after a no).
     */
    public void handshake(ChannelHandlerContext ctx, FullHttpRequest request, WebSocketEndpoint endpoint) {
        Handshake.Rejection rejection = Handshake.check(request);
        if (rejection != null) {
            ErrorCode code = rejection.status() == 426 ? ErrorCode.UPGRADE_REQUIRED
                    : rejection.status() == 405 ? ErrorCode.METHOD_NOT_ALLOWED : ErrorCode.BAD_HANDSHAKE;
            FullHttpResponse response = HttpResponses.errorResponse(ctx, code, rejection.reason());
            if (rejection.status() == 426) {
                response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, Handshake.VERSION);
            } else if (rejection.status() == 405) {
                response.headers().set(HttpHeaderNames.ALLOW, "GET");
            }
            rejected.increment();
            HttpResponses.send(ctx, null, response);
            return;
        }
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (!origins.allows(origin, request.headers().get(HttpHeaderNames.HOST))) {
            rejected.increment();
            HttpResponses.send(ctx, null, HttpResponses.errorResponse(ctx, ErrorCode.ORIGIN_NOT_ALLOWED,
                    "origin " + origin + " may not open WebSockets here (see --allowed-origins)"));
            return;
        }
        WebSocketListener listener;
        try {
            listener = endpoint.accept(request);
        } catch (ProtocolException refused) {
            // The endpoint's access rules said no (401/403): answered before any upgrade, like a bad handshake.
            rejected.increment();
            HttpResponses.send(ctx, null, HttpResponses.errorResponse(ctx, refused));
            return;
        }
        accepted.increment();
        DeflateParameters deflate = config.permessageDeflate()
                ? DeflateParameters.negotiate(request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS), DEFLATE_THRESHOLD)
                : null;

        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS);
        // Spelled as RFC 6455 and the lesson spell them (header names are case-insensitive, but people read them).
        response.headers()
                .set("Upgrade", "websocket")
                .set("Connection", "Upgrade")
                .set("Sec-WebSocket-Accept", Handshake.acceptKey(request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_KEY).trim()));
        if (deflate != null) {
            response.headers().set("Sec-WebSocket-Extensions", deflate.responseHeader());
        }
        ctx.writeAndFlush(response);

        // From here the connection speaks WebSocket: the HTTP handlers leave, the protocol handler arrives.
        WebSocketProtocolHandler webSocket = slowConsumers.enabled()
                ? new SlowConsumerHandler(endpoint.maxMessageSize(config), messageBudget, deflate, listener, slowConsumers)
                : new WebSocketProtocolHandler(true, endpoint.maxMessageSize(config), messageBudget, deflate, listener);
        HttpPipeline.leave(ctx.pipeline(), "websocket", webSocket);
        // Removed before it is added: its close future then holds one group's listener, not a list of
        // two (48 bytes per connection). ConnectionLimits may count one fewer for that instant.
        httpConnections.remove(ctx.channel());
        webSockets.add(ctx.channel());
        heartbeat.watch(ctx.channel().eventLoop(), webSocket);
        webSocket.start();
    }
}
