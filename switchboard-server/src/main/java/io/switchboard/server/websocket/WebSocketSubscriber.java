package io.switchboard.server.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.switchboard.core.Message;
import io.switchboard.core.Subscriber;
import io.switchboard.server.Backpressure;
import io.switchboard.websocket.CloseCode;
import io.switchboard.websocket.FrameWriter;
import io.switchboard.websocket.Opcode;
import io.switchboard.websocket.WebSocket;

import java.util.concurrent.Executor;
import java.util.function.Predicate;

/**
 * Delivers channel publications to one WebSocket connection, on its event loop: each message is
 * written as its shared pre-encoded frame, and the connection is flushed once per delivery batch.
 */
public class WebSocketSubscriber implements Subscriber {

    private final WebSocket webSocket;
    private final TextFrames format;
    private final Predicate<Message> skip;
    private boolean written;

    /**
     * Delivers in {@code format}, except messages {@code skip} rejects (null: none). A connection
     * over {@link Backpressure#overHardLimit its hard limit} is closed with 1008.
     */
    public WebSocketSubscriber(WebSocket webSocket, TextFrames format, Predicate<Message> skip) {
        this.webSocket = webSocket;
        this.format = format;
        this.skip = skip;
    }

    @Override
    public Executor executor() {
        return webSocket.executor();
    }

    @Override
    public void onPublication(Message message) {
        if (skip != null && skip.test(message)) {
            return;
        }
        if (Backpressure.overHardLimit(webSocket.channel())) {
            // Far over its limit before the grace period ends: cut it off now, memory stays bounded.
            webSocket.terminate(CloseCode.POLICY_VIOLATION, "slow consumer: outbound buffer over its hard limit");
            return;
        }
        written |= webSocket.writeEncoded(format.frame(message));
    }

    /**
     * Writes a text message (a reply, a presence push) in the running delivery batch, on the event
     * loop: it goes out with the batch's single {@link #flush()}, in order with the publications around it.
     */
    public void writeText(String text) {
        ByteBuf payload = ByteBufUtil.writeUtf8(webSocket.alloc(), text);
        written |= webSocket.writeEncoded(FrameWriter.encode(webSocket.alloc(), Opcode.TEXT, true, payload, false));
    }

    @Override
    public void flush() {
        if (written) {
            written = false;
            webSocket.flush();
        }
    }
}
