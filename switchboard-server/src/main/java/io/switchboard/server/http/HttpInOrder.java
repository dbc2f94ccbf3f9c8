package io.switchboard.server.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;

/**
 * Answers pipelined requests in the order they came (RFC 9112 section 9.3.2): a request that
 * arrives while an earlier one is still being answered (a held long poll, a publish waiting for
 * its broker) waits here until that answer has been written in full. A client that pipelines more
 * than {@value #MAX_QUEUED} requests is not read from until the queue drains. One per connection.
 */
final class HttpInOrder extends ChannelDuplexHandler {

    /** Requests held at most before the connection stops being read. */
    static final int MAX_QUEUED = 16;

    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>(2);
    private boolean answering;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (answering) {
            waiting.add(request);
            if (waiting.size() >= MAX_QUEUED) {
                ctx.channel().config().setAutoRead(false);
            }
            return;
        }
        answering = true;
        ctx.fireChannelRead(request);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        // The end of an answer, not an interim 1xx (100 Continue; a 101 takes the connection out of HTTP).
        boolean answerEnds = msg instanceof LastHttpContent
                && !(msg instanceof HttpResponse response && response.status().codeClass() == HttpStatusClass.INFORMATIONAL);
        super.write(ctx, msg, promise);
        if (answerEnds && answering) {
            answering = false;
            // The next request starts after this write, so its answer can only come after this one.
            ctx.executor().execute(() -> next(ctx));
        }
    }

    private void next(ChannelHandlerContext ctx) {
        if (answering || ctx.isRemoved()) {
            return;
        }
        FullHttpRequest request = waiting.poll();
        if (request == null) {
            return;
        }
        if (waiting.size() < MAX_QUEUED && !ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(true);
        }
        answering = true;
        ctx.fireChannelRead(request);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        release();
        ctx.fireChannelInactive();
    }

    private void release() {
        FullHttpRequest request;
        while ((request = waiting.poll()) != null) {
            ReferenceCountUtil.release(request);
        }
    }
}
