package io.switchboard.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ByteProcessor;

/**
 * An EventSource-like client behind Netty's {@code HttpClientCodec}: sends {@code GET path} with
 * {@code Accept: text/event-stream}, then splits the stream into events at blank lines and scans
 * each complete event for chat deliveries.
 */
public final class SseSubscriber extends SimpleChannelInboundHandler<HttpObject> {

    private final String path;
    private final ChatDeliveries deliveries;
    private final ChatDeliveries.Subscriber subscriber = new ChatDeliveries.Subscriber();
    private ByteBuf pending;

    /** A subscriber to {@code path} (e.g. {@code /sse?channel=chat}) recording into {@code deliveries}. */
    public SseSubscriber(String path, ChatDeliveries deliveries) {
        this.path = path;
        this.deliveries = deliveries;
    }

    /** This subscriber's state; ready once the stream's first bytes arrived. */
    public ChatDeliveries.Subscriber subscriber() {
        return subscriber;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path);
        request.headers().set(HttpHeaderNames.HOST, "127.0.0.1").set(HttpHeaderNames.ACCEPT, "text/event-stream");
        ctx.writeAndFlush(request);
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
        if (msg instanceof HttpResponse response && response.status().code() != 200) {
            ctx.close();
            return;
        }
        if (!(msg instanceof HttpContent content) || !content.content().isReadable()) {
            return;
        }
        subscriber.ready(true);
        if (pending == null) {
            pending = ctx.alloc().buffer(1024);
        }
        pending.writeBytes(content.content());
        int eventEnd = lastEventEnd(pending);
        if (eventEnd > 0) {
            deliveries.scan(subscriber, pending.slice(pending.readerIndex(), eventEnd - pending.readerIndex()));
            pending.readerIndex(eventEnd);
            pending.discardReadBytes();
        }
    }

    /** The index just past the last blank line ("\n\n") in {@code buf}, or -1. */
    private static int lastEventEnd(ByteBuf buf) {
        int i = buf.forEachByteDesc(ByteProcessor.FIND_LF);
        while (i > buf.readerIndex()) {
            if (buf.getByte(i - 1) == '\n') {
                return i + 1;
            }
            if (buf.getByte(i - 1) == '\r' && i - 2 >= buf.readerIndex() && buf.getByte(i - 2) == '\n') {
                return i + 1;
            }
            i = buf.forEachByteDesc(buf.readerIndex(), i - buf.readerIndex(), ByteProcessor.FIND_LF);
        }
        return -1;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
