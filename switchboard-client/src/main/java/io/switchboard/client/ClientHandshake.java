package io.switchboard.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.websocket.Handshake;
import io.switchboard.websocket.ReadyState;
import io.switchboard.websocket.WebSocketProtocolHandler;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The client's side of the RFC 6455 opening handshake: sends the upgrade request with a fresh
 * {@code Sec-WebSocket-Key}, checks the answer, then hands the channel to the protocol handler
 * and leaves the pipeline with the HTTP handlers.
 */
final class ClientHandshake extends ChannelInboundHandlerAdapter {

    private final Connection connection;
    private final URI uri;
    private final Map<String, String> headers;
    private final String key = Handshake.newClientKey();
    private boolean done;

    ClientHandshake(Connection connection, URI uri, Map<String, String> headers) {
        this.connection = connection;
        this.uri = uri;
        this.headers = headers;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, SwitchboardClient.requestTarget(uri));
        headers.forEach((name, value) -> request.headers().set(name, value));
        request.headers()
                .set(HttpHeaderNames.HOST, SwitchboardClient.hostHeader(uri))
                .set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
                .set(HttpHeaderNames.SEC_WEBSOCKET_KEY, key)
                .set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, Handshake.VERSION);
        ctx.writeAndFlush(request).addListener(f -> {
            if (!f.isSuccess()) {
                connection.failOpening(f.cause());
            }
        });
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpResponse response)) {
            ctx.fireChannelRead(msg); // frames that came right behind the 101: on to the protocol handler
            return;
        }
        try {
            if (done || connection.state() != ReadyState.CONNECTING) {
                ctx.close();
                return;
            }
            done = true;
            String problem = Handshake.checkResponse(response, key);
            if (problem != null) {
                connection.failOpening(refusal(response, problem));
                return;
            }
            WebSocketProtocolHandler protocol = connection.newProtocolHandler();
            ctx.pipeline().addLast("websocket", protocol);
            ctx.pipeline().remove(HttpObjectAggregator.class);
            // Removing the codec passes any bytes it still holds (the first frames) to the protocol handler.
            ctx.pipeline().remove(HttpClientCodec.class);
            ctx.pipeline().remove(this);
            connection.opened(protocol);
        } finally {
            ReferenceCountUtil.release(response);
        }
    }

    private static WebSocketHandshakeException refusal(FullHttpResponse response, String problem) {
        ByteBuf body = response.content();
        String text = body.isReadable() ? ": " + body.toString(StandardCharsets.UTF_8) : "";
        return new WebSocketHandshakeException(response.status().code(), problem + text);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connection.failOpening(new IOException("connection closed during the opening handshake"));
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        connection.failOpening(cause);
        ctx.close();
    }
}
