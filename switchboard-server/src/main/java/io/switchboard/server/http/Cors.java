package io.switchboard.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;

/**
 * Cross-origin reads of the endpoints a page on another origin may use (SSE, polling): the answer
 * names the request's own {@code Origin} when {@link Origins} allows it, and nothing otherwise. Never
 * {@code *}: a server that knows who its clients are must not let any site read their streams.
 */
public final class Cors {

    private final Origins origins;

    /** CORS for the origins {@code origins} allows. */
    public Cors(Origins origins) {
        this.origins = origins;
    }

    /** Adds {@code Access-Control-Allow-Origin} for {@code request}'s origin to {@code response} where allowed; returns it. */
    public <R extends HttpResponse> R allow(R response, HttpRequest request) {
        String origin = origins.corsAllowOrigin(request.headers().get(HttpHeaderNames.ORIGIN), request.headers().get(HttpHeaderNames.HOST));
        if (origin != null) {
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        }
        // Caches must not hand one origin's answer to another.
        response.headers().add(HttpHeaderNames.VARY, HttpHeaderNames.ORIGIN);
        return response;
    }

    /** True when {@code request} comes from an origin that may read cross-origin answers. */
    public boolean allows(HttpRequest request) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        return origin != null && origins.allows(origin, request.headers().get(HttpHeaderNames.HOST));
    }
}
