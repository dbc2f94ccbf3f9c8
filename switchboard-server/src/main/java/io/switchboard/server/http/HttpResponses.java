package io.switchboard.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBufUtil;
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

import java.util.Locale;

/** Writing HTTP answers: JSON bodies, JSON errors ({@code {"error":{"code","message"}}}), keep-alive. */
public final class HttpResponses {

    /** The one JSON mapper of the server; Jackson mappers are thread-safe once configured. */
    public static final ObjectMapper JSON = new ObjectMapper();
    /** The Content-Type of every JSON answer. */
    public static final String JSON_CONTENT_TYPE = "application/json; charset=utf-8";

    private HttpResponses() {
    }

    /** Sends {@code body} (JSON text) with {@code status}, honouring the request's keep-alive. */
    public static ChannelFuture json(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status, String body) {
        return send(ctx, request, jsonResponse(ctx, status, body));
    }

    /** Sends a JSON error: {@code {"error":{"code":"<code>","message":"<message>"}}}. */
    public static ChannelFuture error(ChannelHandlerContext ctx, HttpRequest request, HttpResponseStatus status, String code, String message) {
        return send(ctx, request, errorResponse(ctx, status, code, message));
    }

    /**
     * Sends the refusal {@code e} as a JSON error with its HTTP status; the code is the
     * {@link ErrorCode}'s name in lower case ({@code bad_cursor}, {@code bad_channel}, ...).
     */
    public static ChannelFuture error(ChannelHandlerContext ctx, HttpRequest request, ProtocolException e) {
        return send(ctx, request, errorResponse(ctx, e));
    }

    /** The JSON error response for the refusal {@code e}, for callers that add headers before sending it. */
    public static FullHttpResponse errorResponse(ChannelHandlerContext ctx, ProtocolException e) {
        return errorResponse(ctx, HttpResponseStatus.valueOf(e.code().httpStatus()), e.code().name().toLowerCase(Locale.ROOT), e.getMessage());
    }

    /** A JSON error response, for callers that add headers before sending it. */
    public static FullHttpResponse errorResponse(ChannelHandlerContext ctx, HttpResponseStatus status, String code, String message) {
        return jsonResponse(ctx, status, errorBody(code, message));
    }

    /** A JSON response, for callers that add headers before sending it. */
    public static FullHttpResponse jsonResponse(ChannelHandlerContext ctx, HttpResponseStatus status, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, ByteBufUtil.writeUtf8(ctx.alloc(), body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, JSON_CONTENT_TYPE);
        return response;
    }

    /** The JSON text of an error body. */
    public static String errorBody(String code, String message) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return root.toString();
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
