package io.switchboard.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.switchboard.core.ErrorCode;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Who may use an operator's endpoint (the publish API, metrics): callers with the configured key
 * ({@code Authorization: Bearer <key>}, compared in constant time), or, without a key, callers on
 * this machine only.
 */
public final class ApiKey {

    private final byte[] key;
    private final String option;

    /** A check against {@code key} (null: loopback callers only); {@code option} names the setting in refusals. */
    public ApiKey(String key, String option) {
        this.key = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        this.option = option;
    }

    /** True when the caller may; otherwise answers 403 (no key, not this machine) or 401 (wrong or missing key) and returns false. */
    public boolean check(ChannelHandlerContext ctx, HttpRequest request) {
        if (key == null) {
            if (isLoopback(ctx.channel().remoteAddress())) {
                return true;
            }
            HttpResponses.error(ctx, request, ErrorCode.FORBIDDEN,
                    "this endpoint is open to this machine only; configure a key (" + option + ") to use it from elsewhere");
            return false;
        }
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && MessageDigest.isEqual(key, authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        FullHttpResponse response = HttpResponses.errorResponse(ctx, ErrorCode.UNAUTHORIZED,
                authorization == null ? "send Authorization: Bearer <key>" : "the key is not valid");
        response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        HttpResponses.send(ctx, request, response);
        return false;
    }

    private static boolean isLoopback(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.getAddress() != null && inet.getAddress().isLoopbackAddress();
    }
}
