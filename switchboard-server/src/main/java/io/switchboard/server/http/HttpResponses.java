package io.switchboard.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.core.ErrorCode;
import io.switchboard.core.ProtocolException;
import io.switchboard.core.protocol.Json;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionException;

/**
 * Writing HTTP answers: JSON bodies, JSON errors, keep-alive. This is the HTTP edge of Switchboard's
 * one error vocabulary ({@link ErrorCode}): here, and only here, each error gets its HTTP status.
 */
public final class HttpResponses {

    /** The server's JSON mapper: the one strict mapper every endpoint reads client JSON with. */
    public static final ObjectMapper JSON = Json.MAPPER;
    /** The Content-Type of every JSON answer. */
    public static final String JSON_CONTENT_TYPE = "application/json; charset=utf-8";

    private HttpResponses() {
    }

    /** Sends {@code body} (JSON text) with {@code status}, honouring the request's keep-alive. */
    public static ChannelFuture json(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status, String body) {
        return send(ctx, request, jsonResponse(ctx, status, body));
    }

    /** Sends the JSON error {@code code} with {@code message}, with the code's HTTP status. */
    public static ChannelFuture error(ChannelHandlerContext ctx, HttpRequest request, ErrorCode code, String message) {
        return send(ctx, request, errorResponse(ctx, code, message));
    }

    /** Sends the refusal {@code e} as a JSON error with its HTTP status. */
    public static ChannelFuture error(ChannelHandlerContext ctx, HttpRequest request, ProtocolException e) {
        return send(ctx, request, errorResponse(ctx, e));
    }

    /** Sends the refusal {@code e} to a request a page on another origin may read ({@link Cors}). */
    public static ChannelFuture error(ChannelHandlerContext ctx, HttpRequest request, ProtocolException e, Cors cors) {
        return send(ctx, request, cors.allow(errorResponse(ctx, e), request));
    }

    /** The JSON error response for the refusal {@code e}, for callers that add headers before sending it. */
    public static FullHttpResponse errorResponse(ChannelHandlerContext ctx, ProtocolException e) {
        return errorResponse(ctx, e.code(), e.getMessage());
    }

    /**
     * The JSON error response for a failed hub operation: a refusal ({@link ProtocolException},
     * possibly wrapped by a stage) as itself, anything else as {@link ErrorCode#UNAVAILABLE} with {@code message}.
     */
    public static FullHttpResponse failureResponse(ChannelHandlerContext ctx, Throwable failure, String message) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ProtocolException e) {
            return errorResponse(ctx, e);
        }
        return errorResponse(ctx, ErrorCode.UNAVAILABLE, message);
    }

    /** The JSON error response for {@code code}, with its HTTP status, for callers that add headers before sending it. */
    public static FullHttpResponse errorResponse(ChannelHandlerContext ctx, ErrorCode code, String message) {
        return jsonResponse(ctx, status(code), errorBody(code, message));
    }

    /** The JSON error response for {@code code} in a heap buffer, for when the buffer pool itself may be exhausted. */
    public static FullHttpResponse heapErrorResponse(ErrorCode code, String message) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status(code),
                Unpooled.wrappedBuffer(errorBody(code, message).getBytes(StandardCharsets.UTF_8)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON_CONTENT_TYPE);
        return response;
    }

    /**
     * The JSON text of an error body: {@code {"error":{"code":"bad_cursor","name":"bad_cursor",
     * "number":105,"message":"..."}}}. {@code name} and the number are what {@code /ws} error replies
     * carry for the same fault; {@code code} (the name) stays for clients written before them.
     */
    private static String errorBody(ErrorCode code, String message) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", code.wireName());
        error.put("name", code.wireName());
        error.put("number", code.code());
        error.put("message", message);
        return root.toString();
    }

    /** The HTTP status an HTTP transport (SSE, polling, the publish API, handshakes) answers {@code code} with. */
    public static HttpResponseStatus status(ErrorCode code) {
        return switch (code) {
            case INTERNAL -> HttpResponseStatus.INTERNAL_SERVER_ERROR;
            case INVALID_JSON, UNKNOWN_COMMAND, BAD_REQUEST, BAD_CHANNEL, BAD_CURSOR, BAD_HANDSHAKE -> HttpResponseStatus.BAD_REQUEST;
            case ALREADY_SUBSCRIBED -> HttpResponseStatus.CONFLICT;
            case TOO_MANY_SUBSCRIPTIONS, TOO_MANY_REQUESTS, TOO_MANY_CONNECTIONS -> HttpResponseStatus.TOO_MANY_REQUESTS;
            case UNAUTHORIZED -> HttpResponseStatus.UNAUTHORIZED;
            case FORBIDDEN, ORIGIN_NOT_ALLOWED, CROSS_SITE_REQUEST -> HttpResponseStatus.FORBIDDEN;
            case PAYLOAD_TOO_LARGE -> HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE;
            case UNAVAILABLE, SERVER_FULL -> HttpResponseStatus.SERVICE_UNAVAILABLE;
            case NOT_FOUND -> HttpResponseStatus.NOT_FOUND;
            case METHOD_NOT_ALLOWED -> HttpResponseStatus.METHOD_NOT_ALLOWED;
            case UPGRADE_REQUIRED -> HttpResponseStatus.UPGRADE_REQUIRED;
            case HTTP_VERSION_NOT_SUPPORTED -> HttpResponseStatus.HTTP_VERSION_NOT_SUPPORTED;
            case URI_TOO_LONG -> HttpResponseStatus.REQUEST_URI_TOO_LONG;
            case HEADERS_TOO_LARGE -> HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
            case UNSUPPORTED_MEDIA_TYPE -> HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE;
            case REQUEST_TIMEOUT -> HttpResponseStatus.REQUEST_TIMEOUT;
        };
    }

    /** A JSON response, for callers that add headers before sending it. */
    public static FullHttpResponse jsonResponse(ChannelHandlerContext ctx, HttpResponseStatus status, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, ByteBufUtil.writeUtf8(ctx.alloc(), body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON_CONTENT_TYPE);
        return response;
    }

    /** The request line and headers without the body, kept past the request's release to answer it later. */
    public static HttpRequest headOf(FullHttpRequest request) {
        return new DefaultHttpRequest(request.protocolVersion(), request.method(), request.uri(), request.headers().copy());
    }

    /** Sends a complete response, setting Content-Length (unless set) and keep-alive from the request. */
    public static ChannelFuture send(ChannelHandlerContext ctx, HttpRequest request, FullHttpResponse response) {
        if (!response.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
            HttpUtil.setContentLength(response, response.content().readableBytes());
        }
        boolean keepAlive = request != null && HttpUtil.isKeepAlive(request);
        if (keepAlive) {
            if (!request.protocolVersion().isKeepAliveDefault()) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            }
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ChannelFuture future = ctx.writeAndFlush(response);
        if (!keepAlive) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
        return future;
    }
}
