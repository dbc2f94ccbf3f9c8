package io.switchboard.server.websocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.websocket.CloseCode;
import io.switchboard.websocket.WebSocketProtocolHandler;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Disconnects a slow consumer: once a connection's outbound buffer passes the high-water mark
 * (the channel turns unwritable) and stays there for the grace period, it is closed with 1008.
 * Its memory is then freed; it recovers what it missed from history when it comes back. While it
 * is over the mark the server stops reading from it, so a peer that sends without reading the
 * replies (an echo, an error) is held back by TCP instead of growing the server's buffers.
 */
final class Backpressure extends ChannelInboundHandlerAdapter {

    private final WebSocketProtocolHandler webSocket;
    private final long graceNanos;
    private ScheduledFuture<?> check;

    Backpressure(WebSocketProtocolHandler webSocket, Duration grace) {
        this.webSocket = webSocket;
        this.graceNanos = grace.toNanos();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        if (!ctx.channel().isWritable()) {
            if (check == null) {
                check = ctx.executor().schedule(() -> {
                    check = null;
                    if (!ctx.channel().isWritable()) {
                        webSocket.terminate(CloseCode.POLICY_VIOLATION, "slow consumer: outbound buffer stayed over its limit");
                    }
                }, graceNanos, TimeUnit.NANOSECONDS);
            }
        } else if (check != null) {
            check.cancel(false);
            check = null;
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
        ctx.fireChannelInactive();
    }
}
