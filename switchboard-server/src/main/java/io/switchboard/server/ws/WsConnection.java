package io.switchboard.server.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.switchboard.core.ClientInfo;
import io.switchboard.core.ErrorCode;
import io.switchboard.core.Hub;
import io.switchboard.core.ProtocolException;
import io.switchboard.core.protocol.Command;
import io.switchboard.core.protocol.CommandParser;
import io.switchboard.core.protocol.Pushes;
import io.switchboard.core.protocol.Replies;
import io.switchboard.server.ClientIds;
import io.switchboard.server.websocket.WebSocketSubscriber;
import io.switchboard.websocket.ReadyState;
import io.switchboard.websocket.WebSocket;
import io.switchboard.websocket.WebSocketListener;
import io.switchboard.websocket.WebSocketProtocolHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * One {@code ws /ws} connection: reads each text message as one command, answers it with a reply
 * carrying the command's id, and receives its channels' pushes. A bad command gets an error reply
 * and touches nothing else; the connection stays usable.
 */
final class WsConnection implements WebSocketListener {

    private static final Logger log = LoggerFactory.getLogger(WsConnection.class);

    private final Hub hub;
    private final CommandParser parser;
    private final String user;
    private ClientInfo client;
    private PushWriter subscriber;

    WsConnection(Hub hub, CommandParser parser, String user) {
        this.hub = hub;
        this.parser = parser;
        this.user = user;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        client = new ClientInfo(ClientIds.next(), user, null);
        subscriber = new PushWriter((WebSocketProtocolHandler) webSocket);
        webSocket.sendText(Pushes.connect(client.clientId()));
    }

    @Override
    public void onText(WebSocket webSocket, ByteBuf utf8) {
        Command command;
        try {
            command = parser.parse(new ByteBufInputStream(utf8.duplicate()));
        } catch (ProtocolException refused) {
            send(webSocket, Replies.error(refused));
            return;
        }
        long id = command.id();
        if (command instanceof Command.Subscribe s) {
            // Completes on this event loop inside the hub's delivery batch: the reply goes out
            // before the recovered publications, in the batch's one flush.
            hub.subscribe(s.channel(), subscriber, s.since(), client).whenComplete((result, failure) -> {
                if (failure == null) {
                    subscriber.writeText(Replies.subscribe(id, s.channel(), result));
                } else {
                    send(webSocket, errorReply(id, failure));
                }
            });
        } else if (command instanceof Command.Unsubscribe u) {
            hub.unsubscribe(u.channel(), subscriber);
            send(webSocket, Replies.unsubscribe(id));
        } else if (command instanceof Command.Publish p) {
            answer(webSocket, id, hub.publish(p.channel(), p.data(), client.clientId()),
                    stored -> Replies.publish(id, stored));
        } else if (command instanceof Command.History h) {
            answer(webSocket, id, hub.history(h.channel(), h.since(), h.limit()),
                    history -> Replies.history(id, history));
        } else if (command instanceof Command.Presence p) {
            answer(webSocket, id, hub.presence(p.channel()), clients -> Replies.presence(id, clients));
        }
    }

    /** Replies when {@code stage} completes, on whatever thread completes it. */
    private static <T> void answer(WebSocket webSocket, long id, CompletionStage<T> stage, Function<T, String> reply) {
        stage.whenComplete((value, failure) -> {
            if (failure == null) {
                send(webSocket, reply.apply(value));
            } else {
                send(webSocket, errorReply(id, failure));
            }
        });
    }

    private static String errorReply(long id, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ProtocolException refused) {
            return Replies.error(refused.withRequestId(id));
        }
        log.warn("command {} failed", id, cause);
        return Replies.error(id, ErrorCode.INTERNAL, "the server failed; try again");
    }

    /** Sends {@code text} on the connection's event loop, if it is still open. */
    private static void send(WebSocket webSocket, String text) {
        if (!webSocket.channel().eventLoop().inEventLoop()) {
            webSocket.channel().eventLoop().execute(() -> send(webSocket, text));
            return;
        }
        if (webSocket.readyState() == ReadyState.OPEN) {
            try {
                webSocket.sendText(text);
            } catch (IllegalStateException closing) {
                // The close handshake started: the reply has nowhere to go.
            }
        }
    }

    @Override
    public void onBinary(WebSocket webSocket, ByteBuf data) {
        send(webSocket, Replies.error(0, ErrorCode.INVALID_JSON, "commands are JSON text messages, not binary"));
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        if (subscriber != null) {
            hub.unsubscribeAll(subscriber);
        }
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable cause) {
        log.debug("ws connection failed: {}", cause.toString());
    }

    /** Writes this connection's pushes: shared {@code pub} frames, and {@code join}/{@code leave}. */
    private static final class PushWriter extends WebSocketSubscriber {

        PushWriter(WebSocketProtocolHandler webSocket) {
            super(webSocket, WsEndpoint.PUB_FRAMES, null);
        }

        @Override
        public void onJoin(String channel, ClientInfo client) {
            writeText(Pushes.join(channel, client));
        }

        @Override
        public void onLeave(String channel, ClientInfo client) {
            writeText(Pushes.leave(channel, client));
        }
    }
}
