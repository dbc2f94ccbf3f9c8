package io.switchboard.server.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.switchboard.core.ErrorCode;
import io.switchboard.server.websocket.WebSocketEndpoint;
import io.switchboard.server.websocket.WebSocketUpgrade;
import io.switchboard.websocket.Handshake;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Routes each HTTP request by path: to a WebSocket endpoint (the handshake), or to a plain HTTP
 * endpoint. Holds no per-connection state, so one instance serves every connection.
 */
@ChannelHandler.Sharable
public final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(HttpRouter.class);

    private final Map<String, WebSocketEndpoint> webSockets = new HashMap<>();
    private final Map<String, Route> routes = new HashMap<>();
    private final WebSocketUpgrade upgrade;
    private final Cors cors;

    /**
     * A router that upgrades WebSocket requests with {@code upgrade} and answers CORS preflights
     * as {@code cors} allows (the origins of {@code --allowed-origins}).
     */
    public HttpRouter(WebSocketUpgrade upgrade, Cors cors) {
        this.upgrade = upgrade;
        this.cors = cors;
    }

    /** Serves WebSocket connections on {@code path}. */
    public HttpRouter webSocket(String path, WebSocketEndpoint endpoint) {
        webSockets.put(path, endpoint);
        return this;
    }

    /** Serves {@code methods} on {@code path} with {@code endpoint}; other methods get 405. */
    public HttpRouter http(String path, Set<HttpMethod> methods, HttpEndpoint endpoint) {
        routes.put(path, new Route(methods, endpoint));
        return this;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) throws Exception {
        if (!request.decoderResult().isSuccess()) {
            Throwable cause = request.decoderResult().cause();
            // The connection's framing is lost after a bad request: answer, then close (null request).
            if (cause instanceof TooLongHttpLineException) {
                HttpResponses.error(ctx, null, ErrorCode.URI_TOO_LONG, "the request line is too long");
            } else if (cause instanceof TooLongHttpHeaderException) {
                HttpResponses.error(ctx, null, ErrorCode.HEADERS_TOO_LARGE, "the request's header fields are too large");
            } else {
                HttpResponses.error(ctx, null, ErrorCode.BAD_REQUEST, "malformed HTTP request");
            }
            return;
        }
        HttpVersion version = request.protocolVersion();
        if (version.majorVersion() != 1 || version.minorVersion() > 1) {
            HttpResponses.error(ctx, null, ErrorCode.HTTP_VERSION_NOT_SUPPORTED, "this server speaks HTTP/1.1 (and 1.0), not " + version.text());
            return;
        }
        // RFC 9112 section 3.2: an HTTP/1.1 request has exactly one Host; more than one anywhere is refused.
        int hosts = request.headers().getAll(HttpHeaderNames.HOST).size();
        if (hosts > 1 || (hosts == 0 && version.minorVersion() == 1)) {
            HttpResponses.error(ctx, null, ErrorCode.BAD_REQUEST,
                    hosts == 0 ? "an HTTP/1.1 request needs a Host header" : "a request has one Host header, not " + hosts);
            return;
        }
        String path;
        try {
            path = RequestTarget.path(request.uri());
        } catch (IllegalArgumentException e) {
            HttpResponses.error(ctx, null, ErrorCode.BAD_REQUEST, "malformed request target: " + e.getMessage());
            return;
        }
        WebSocketEndpoint webSocket = webSockets.get(path);
        if (webSocket != null) {
            upgrade.handshake(ctx, request, webSocket);
            return;
        }
        Route route = routes.get(path);
        if (route == null) {
            HttpResponses.error(ctx, request, ErrorCode.NOT_FOUND, "no endpoint at " + path);
            return;
        }
        String allow = route.methods.stream().map(HttpMethod::name).sorted().collect(Collectors.joining(", "));
        if (HttpMethod.OPTIONS.equals(request.method())) {
            preflight(ctx, request, allow);
            return;
        }
        if (!route.methods.contains(request.method())) {
            FullHttpResponse response = HttpResponses.errorResponse(ctx, ErrorCode.METHOD_NOT_ALLOWED,
                    request.method() + " is not allowed on " + path);
            response.headers().set(HttpHeaderNames.ALLOW, allow);
            HttpResponses.send(ctx, request, response);
            return;
        }
        if (Handshake.isUpgradeRequest(request)) {
            request.headers().remove(HttpHeaderNames.UPGRADE);
        }
        route.endpoint.handle(ctx, request);
    }

    /** Answers a CORS preflight: which methods and headers a cross-origin page may use here. */
    private void preflight(ChannelHandlerContext ctx, FullHttpRequest request, String allow) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NO_CONTENT);
        response.headers().set(HttpHeaderNames.ALLOW, allow);
        if (cors.allows(request)) {
            cors.allow(response, request).headers()
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, allow)
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type, Authorization, Last-Event-ID")
                    .set(HttpHeaderNames.ACCESS_CONTROL_MAX_AGE, "600");
        }
        HttpResponses.send(ctx, request, response);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A request that failed inside the server still gets an answer, from the heap: the buffer
        // pool may be what ran out. Then the connection closes (its state is unknown).
        boolean memory = cause instanceof OutOfMemoryError || cause.getCause() instanceof OutOfMemoryError;
        if (!memory && (cause instanceof IOException || cause instanceof PrematureChannelClosureException)) {
            // The client went away (or reset) mid-request: nobody to answer, nothing wrong with the server.
            log.debug("{} while reading a request from {}", cause.toString(), ctx.channel().remoteAddress());
            ctx.close();
            return;
        }
        log.warn("{} answering a request from {}; answered {} and closed", memory ? "out of memory" : "failure",
                ctx.channel().remoteAddress(), memory ? 503 : 500, cause);
        if (!ctx.channel().isActive()) {
            return;
        }
        HttpResponses.send(ctx, null, HttpResponses.heapErrorResponse(memory ? ErrorCode.UNAVAILABLE : ErrorCode.INTERNAL,
                "the server could not answer this request now; try again"));
    }

    private record Route(Set<HttpMethod> methods, HttpEndpoint endpoint) {
    }
}
