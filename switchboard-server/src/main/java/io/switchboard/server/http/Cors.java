package io.switchboard.server.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;

/** Cross-origin access for the endpoints a page on another origin may read (SSE, polling). */
public final class Cors {

    private Cors() {
    }

    /** Adds {@code Access-Control-Allow-Origin: origin} to {@code response} (null or empty origin: none); returns it. */
    public static <R extends HttpResponse> R allow(R response, String origin) {
        if (origin != null && !origin.isEmpty()) {
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        }
        return response;
    }
}
