package io.switchboard.server.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.core.ErrorCode;

/**
 * Aggregates each request into one {@code FullHttpRequest} of at most {@code maxBody} bytes; a
 * bigger body is answered {@code 413} with a JSON error (Netty's own answer is plain text), and
 * the rest of it is discarded so the connection stays usable when the client keeps it alive.
 */
public final class HttpRequestAggregator extends HttpObjectAggregator {

    private final int maxBody;

    /** An aggregator that refuses bodies over {@code maxBody} bytes. */
    public HttpRequestAggregator(int maxBody) {
        super(maxBody);
        this.maxBody = maxBody;
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object response = super.newContinueResponse(start, maxContentLength, pipeline);
        if (response instanceof FullHttpResponse full && full.status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
            ReferenceCountUtil.release(full);
            FullHttpResponse json = HttpResponses.errorResponse(pipeline.context(this), ErrorCode.PAYLOAD_TOO_LARGE, tooLarge());
            HttpUtil.setContentLength(json, json.content().readableBytes());
            return json;
        }
        return response;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
        if (!(oversized instanceof HttpRequest request)) {
            super.handleOversizedMessage(ctx, oversized);
            return;
        }
        FullHttpResponse response = HttpResponses.errorResponse(ctx, ErrorCode.PAYLOAD_TOO_LARGE, tooLarge());
        // Part of the body already arrived (or nothing keeps the connection): answer and close. Otherwise
        // the aggregator discards the rest of the body and the connection serves the next request.
        boolean close = oversized instanceof FullHttpMessage
                || !HttpUtil.is100ContinueExpected(request) && !HttpUtil.isKeepAlive(request);
        HttpResponses.send(ctx, close ? null : request, response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }

    private String tooLarge() {
        return "request body is larger than " + maxBody + " bytes";
    }
}
