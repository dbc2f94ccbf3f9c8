package io.switchboard.server.websocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.server.SlowConsumerGrace;
import io.switchboard.websocket.CloseCode;
import io.switchboard.websocket.WebSocket;

/**
 * The server's slow-consumer rule for one WebSocket, installed behind its protocol handler: once
 * the connection's unsent bytes stay over the high-water mark (it turned unwritable) for the
 * grace, it is ended with 1008, so a slow consumer costs its own connection, never the server's
 * memory. Meanwhile nothing more is read from it, so a peer that keeps sending without reading the
 * replies (echoes, errors) is held back by TCP.
 */
final class SlowConsumerHandler extends ChannelInboundHandlerAdapter {

    private final SlowConsumerGrace grace;
    private final WebSocket webSocket;
    /** Pending check while the channel is unwritable; null otherwise. */
    private ScheduledFuture<?> check;

    SlowConsumerHandler(SlowConsumerGrace grace, WebSocket webSocket) {
        this.grace = grace;
        this.webSocket = webSocket;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        check = grace.writabilityChanged(ctx.channel(), check,
                () -> webSocket.terminate(CloseCode.POLICY_VIOLATION, "slow consumer: outbound buffer stayed over its limit"));
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        SlowConsumerGrace.cancel(check);
        check = null;
        ctx.fireChannelInactive();
    }
}
