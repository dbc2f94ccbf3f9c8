package io.switchboard.server.websocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.server.SlowConsumerGrace;
import io.switchboard.websocket.CloseCode;
import io.switchboard.websocket.DeflateParameters;
import io.switchboard.websocket.MessageBudget;
import io.switchboard.websocket.WebSocketListener;
import io.switchboard.websocket.WebSocketProtocolHandler;

/**
 * A server WebSocket with the server's slow-consumer rule: once the connection's unsent bytes stay
 * over the high-water mark (it turned unwritable) for the grace, it is ended with 1008, so a slow
 * consumer costs its own connection, never the server's memory. Meanwhile nothing more is read from
 * it, so a peer that keeps sending without reading the replies (echoes, errors) is held back by TCP.
 * The rule lives in the protocol handler's own pipeline entry rather than a handler of its own
 * behind it: an idle connection then carries one handler and one context, not two of each.
 */
final class SlowConsumerHandler extends WebSocketProtocolHandler {

    private final SlowConsumerGrace grace;
    /** Pending check while the channel is unwritable; null otherwise. */
    private ScheduledFuture<?> check;

    SlowConsumerHandler(long maxMessageSize, MessageBudget budget, DeflateParameters deflate, WebSocketListener listener,
                        SlowConsumerGrace grace) {
        super(true, maxMessageSize, budget, deflate, listener);
        this.grace = grace;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        ctx.channel().config().setAutoRead(ctx.channel().isWritable());
        check = grace.writabilityChanged(ctx.channel(), check,
                () -> terminate(CloseCode.POLICY_VIOLATION, "slow consumer: outbound buffer stayed over its limit"));
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        SlowConsumerGrace.cancel(check);
        check = null;
        super.channelInactive(ctx);
    }
}
