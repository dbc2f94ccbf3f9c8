package io.switchboard.server.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/**
 * A plain HTTP endpoint (SSE, polling, publish API, static files). The router releases the
 * request after {@link #handle} returns; retain it to keep it longer.
 */
@FunctionalInterface
public interface HttpEndpoint {

    /** Answers {@code request}, now or later (long polls and streams answer later). */
    void handle(ChannelHandlerContext ctx, FullHttpRequest request) throws Exception;
}
