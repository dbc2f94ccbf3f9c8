package io.switchboard.server.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;

/** Files shipped inside the server jar (the demo page, the browser client), read once at start. */
public final class StaticResources {

    private final String root;

    /** Resources under {@code root} on the class path (e.g. {@code "io/switchboard/server/web/"}). */
    public StaticResources(String root) {
        this.root = root;
    }

    /** An endpoint that serves the resource {@code name}, with its content type. */
    public HttpEndpoint file(String name) {
        return serve(read(root + name), contentType(name));
    }

    /** An endpoint that answers GET (and HEAD, without the body) with {@code bytes} as {@code contentType}. */
    static HttpEndpoint serve(byte[] bytes, String contentType) {
        return (ctx, request) -> {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    HttpMethod.HEAD.equals(request.method()) ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(bytes));
            response.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                    .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
            HttpResponses.send(ctx, request, response);
        };
    }

    private static byte[] read(String path) {
        try (InputStream in = StaticResources.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String contentType(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".html")) return "text/html; charset=utf-8";
        if (lower.endsWith(".js")) return "text/javascript; charset=utf-8";
        if (lower.endsWith(".css")) return "text/css; charset=utf-8";
        if (lower.endsWith(".json")) return "application/json";
        if (lower.endsWith(".svg")) return "image/svg+xml";
        if (lower.endsWith(".png")) return "image/png";
        return "application/octet-stream";
    }
}
