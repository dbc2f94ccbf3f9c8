package io.switchboard.server.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.core.ErrorCode;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes an HTTP connection that has no request in progress for the timeout: one that opens TCP
 * and says nothing (or dribbles a handshake) and one kept alive after its last response without a
 * next request, so neither can hold a connection forever. While a request is being answered (a
 * long poll waiting) the clock is stopped; leaving HTTP ({@link HttpPipeline#leave}) removes it.
 */
final class HttpIdleTimeout extends ChannelDuplexHandler {

    private final long timeoutNanos;
    private final long bodyTimeoutNanos;
    private ScheduledFuture<?> timeout;
    /** Running while a request's headers are in and its body is not complete yet. */
    private ScheduledFuture<?> bodyTimeout;
    /** Requests whose response has not been written in full yet. */
    private int unanswered;

    HttpIdleTimeout(Duration timeout, Duration bodyTimeout) {
        this.timeoutNanos = timeout.toNanos();
        this.bodyTimeoutNanos = bodyTimeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        start(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest) {
            unanswered++;
            stop();
            if (!(msg instanceof LastHttpContent) && bodyTimeoutNanos > 0) {
                // A body that never comes must not hold the connection: 408, then close.
                bodyTimeout = ctx.executor().schedule(() -> {
                    FullHttpResponse response = HttpResponses.errorResponse(ctx, ErrorCode.REQUEST_TIMEOUT,
                            "the request's body did not arrive in time");
                    HttpResponses.send(ctx, null, response);
                }, bodyTimeoutNanos, TimeUnit.NANOSECONDS);
            }
        }
        if (msg instanceof LastHttpContent && bodyTimeout != null) {
            bodyTimeout.cancel(false);
            bodyTimeout = null;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        // The end of a response, not an interim 1xx (100 Continue; a 101 removes this handler).
        boolean responseEnds = msg instanceof LastHttpContent
                && !(msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL);
        if (responseEnds && unanswered > 0 && --unanswered == 0) {
            start(ctx);
        }
        super.write(ctx, msg, promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void start(ChannelHandlerContext ctx) {
        if (timeoutNanos > 0 && timeout == null) {
            timeout = ctx.executor().schedule(() -> {
                ctx.close();
            }, timeoutNanos, TimeUnit.NANOSECONDS);
        }
    }

    private void stop() {
        if (bodyTimeout != null) {
            bodyTimeout.cancel(false);
            bodyTimeout = null;
        }
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }
}
