package io.switchboard.server.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.ByteBufUtil;
import io.switchboard.core.BrokerUnavailableException;
import io.switchboard.core.ClientInfo;
import io.switchboard.core.ErrorCode;
import io.switchboard.core.HistoryResult;
import io.switchboard.core.Message;
import io.switchboard.core.Hub;
import io.switchboard.core.ProtocolException;
import io.switchboard.core.SmallSet;
import io.switchboard.core.StreamPosition;
import io.switchboard.core.protocol.Command;
import io.switchboard.core.protocol.CommandParser;
import io.switchboard.core.protocol.Pushes;
import io.switchboard.core.protocol.Replies;
import io.switchboard.core.access.Identity;
import io.switchboard.server.ClientIds;
import io.switchboard.server.RateLimit;
import io.switchboard.server.auth.Access;
import io.switchboard.server.websocket.WebSocketSubscriber;
import io.switchboard.websocket.CloseCode;
import io.switchboard.websocket.ReadyState;
import io.switchboard.websocket.WebSocket;
import io.switchboard.websocket.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
    private final Access access;
    /** Who the connection is: from the handshake's token, then from connect and refresh commands. */
    private Identity identity;
    private ClientInfo client;
    private PushWriter subscriber;
    /** Channels this connection is subscribed to (event loop only), for the history and presence rules. */
    private final SmallSet subscribed = new SmallSet();
    /** Closes the connection when its token expires unrefreshed; null while the token has no expiry. */
    private ScheduledFuture<?> expiry;

    /**
     * Replies completed off the event loop, waiting for it ({@link #send}); made on first use, so that a
     * connection whose broker answers on the event loop (the memory broker) holds none. {@link #draining}
     * is 1 while a drain is queued.
     */
    private volatile Queue<String> outbox;
    private volatile int draining;
    private static final VarHandle OUTBOX;
    private static final AtomicIntegerFieldUpdater<WsConnection> DRAINING =
            AtomicIntegerFieldUpdater.newUpdater(WsConnection.class, "draining");

    static {
        try {
            OUTBOX = MethodHandles.lookup().findVarHandle(WsConnection.class, "outbox", Queue.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Commands this connection may send per second. */
    private final RateLimit rate;

    /** The most bytes of publications one history reply carries. */
    private final long maxReplyBytes;

    WsConnection(Hub hub, CommandParser parser, Access access, Identity identity, int commandsPerSecond, long maxReplyBytes) {
        this.maxReplyBytes = maxReplyBytes;
        this.rate = new RateLimit(commandsPerSecond);
        this.hub = hub;
        this.parser = parser;
        this.access = access;
        this.identity = identity;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        client = new ClientInfo(ClientIds.next(), identity.user(), identity.info());
        subscriber = new PushWriter(webSocket);
        webSocket.sendText(Pushes.connect(client.clientId()));
        if (identity.authenticated()) {
            authenticated(webSocket, identity);
        }
    }

    /** Takes {@code proven} as the connection's identity: its expiry timer, and the server-side subscriptions its token names. */
    private void authenticated(WebSocket webSocket, Identity proven) {
        identity = proven;
        client = new ClientInfo(client.clientId(), proven.user(), proven.info());
        if (expiry != null) {
            expiry.cancel(false);
            expiry = null;
        }
        if (proven.expiresAt() != null) {
            long delay = Math.max(0, Duration.between(Instant.now(), proven.expiresAt()).toMillis());
            expiry = webSocket.executor().schedule(
                    () -> webSocket.close(Access.TOKEN_EXPIRED, Access.TOKEN_EXPIRED_REASON), delay, TimeUnit.MILLISECONDS);
        }
        for (String channel : proven.channels()) {
            if (subscribed.add(channel)) {
                hub.subscribe(channel, subscriber, null, client).whenComplete((result, failure) -> {
                    if (failure == null) {
                        subscriber.writeText(Replies.subscribe(0, channel, result));
                    } else {
                        subscribed.remove(channel);
                    }
                });
            }
        }
    }

    @Override
    public void onText(WebSocket webSocket, ByteBuf utf8) {
        switch (rate.take(System.nanoTime())) {
            case ALLOW -> { }
            case REFUSE -> {
                send(webSocket, Replies.error(0, ErrorCode.TOO_MANY_REQUESTS, "more commands than this server takes per second; slow down"));
                return;
            }
            case CLOSE -> {
                webSocket.close(CloseCode.POLICY_VIOLATION, "too many commands");
                return;
            }
        }
        Command command;
        try {
            command = parser.parse(new ByteBufInputStream(utf8.duplicate()));
        } catch (ProtocolException refused) {
            send(webSocket, Replies.error(refused));
            return;
        }
        try {
            execute(webSocket, command);
        } catch (ProtocolException refused) {
            send(webSocket, Replies.error(refused.withRequestId(command.id())));
        } catch (OutOfMemoryError e) {
            send(webSocket, outOfMemory(command.id(), e));
        }
    }

    /** Runs one parsed command; a refusal by the access rules throws before anything happens. */
    private void execute(WebSocket webSocket, Command command) {
        long id = command.id();
        if (command instanceof Command.Connect c) {
            Identity proven = access.verify(c.token());
            if (identity.authenticated() && !identity.user().equals(proven.user())) {
                throw new ProtocolException(ErrorCode.FORBIDDEN, "the connection is already authenticated as another user");
            }
            authenticated(webSocket, proven);
            send(webSocket, Replies.connect(id, "connect", client.clientId(), proven.user(), proven.expiresAt()));
            return;
        }
        if (command instanceof Command.Refresh r) {
            Identity proven = access.verify(r.token());
            if (!proven.user().equals(identity.user())) {
                throw new ProtocolException(ErrorCode.FORBIDDEN, "a refresh token must name the connection's user");
            }
            authenticated(webSocket, new Identity(proven.user(), proven.info(), proven.expiresAt(), java.util.List.of()));
            send(webSocket, Replies.connect(id, "refresh", client.clientId(), proven.user(), proven.expiresAt()));
            return;
        }
        access.checkIdentified(identity);
        if (command instanceof Command.Subscribe s) {
            access.checkSubscribe(identity, s.channel(), s.token());
            // Completes on this event loop inside the hub's delivery batch: the reply goes out
            // before the recovered publications, in the batch's one flush.
            hub.subscribe(s.channel(), subscriber, s.since(), client).whenComplete((result, failure) -> {
                if (failure == null) {
                    subscribed.add(s.channel());
                    subscriber.writeText(Replies.subscribe(id, s.channel(), result));
                } else {
                    send(webSocket, errorReply(id, failure));
                }
            });
        } else if (command instanceof Command.Unsubscribe u) {
            subscribed.remove(u.channel());
            hub.unsubscribe(u.channel(), subscriber);
            send(webSocket, Replies.unsubscribe(id));
        } else if (command instanceof Command.Publish p) {
            access.channels().checkClientPublish(identity, p.channel());
            answer(webSocket, id, hub.publish(p.channel(), p.data(), client.clientId()),
                    stored -> Replies.publish(id, stored));
        } else if (command instanceof Command.History h) {
            access.channels().checkHistory(identity, h.channel(), subscribed.contains(h.channel()));
            answer(webSocket, id, hub.history(h.channel(), h.since(), h.limit()),
                    history -> Replies.history(id, page(history, maxReplyBytes)));
        } else if (command instanceof Command.Presence p) {
            access.channels().checkPresence(identity, p.channel(), subscribed.contains(p.channel()));
            answer(webSocket, id, hub.presence(p.channel()), clients -> Replies.presence(id, clients));
        }
    }

    /**
     * The first publications of {@code history} up to {@code maxBytes} (at least one): a client that
     * gets fewer than it asked for pages on from the last one's offset.
     */
    static HistoryResult page(HistoryResult history, long maxBytes) {
        long bytes = 0;
        int taken = 0;
        for (Message m : history.messages()) {
            if (taken > 0 && bytes + m.data().length() > maxBytes) {
                return new HistoryResult(history.messages().subList(0, taken), history.position(), history.complete());
            }
            bytes += m.data().length();
            taken++;
        }
        return history;
    }

    /** Replies when {@code stage} completes, on whatever thread completes it. */
    private <T> void answer(WebSocket webSocket, long id, CompletionStage<T> stage, Function<T, String> reply) {
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
        if (cause instanceof OutOfMemoryError memory) {
            return outOfMemory(id, memory);
        }
        if (cause instanceof BrokerUnavailableException unavailable) {
            // Every command fails this way while Redis is away: one line each, no stack trace.
            log.debug("command {} failed: {}", id, unavailable.getMessage());
            return Replies.error(id, ErrorCode.UNAVAILABLE, "the broker is unavailable; try again later");
        }
        log.warn("command {} failed", id, cause);
        return Replies.error(id, ErrorCode.INTERNAL, "the server failed; try again");
    }

    /** The reply to command {@code id} that ran out of memory, logged at WARN: the client may try again later. */
    private static String outOfMemory(long id, OutOfMemoryError e) {
        log.warn("out of memory answering command {}; answered unavailable", id, e);
        return Replies.error(id, ErrorCode.UNAVAILABLE, "the server could not answer this command now; try again");
    }

    /**
     * Sends {@code text} on the connection's event loop, if it is still open. Off the loop (a reply the
     * broker completed on its own thread) it waits in {@link #outbox} with the others completed meanwhile:
     * a broker answers a batch of commands at once, and their replies then go out in one write.
     */
    private void send(WebSocket webSocket, String text) {
        if (!webSocket.executor().inEventLoop()) {
            Queue<String> waiting = outbox;
            if (waiting == null) {
                OUTBOX.compareAndSet(this, null, new ConcurrentLinkedQueue<String>());
                waiting = outbox;
            }
            waiting.add(text);
            if (DRAINING.compareAndSet(this, 0, 1)) {
                webSocket.executor().execute(() -> drain(webSocket));
            }
            return;
        }
        if (webSocket.readyState() == ReadyState.OPEN) {
            send(webSocket, ByteBufUtil.writeUtf8(webSocket.alloc(), text));
        }
    }

    /** Sends the replies waiting in the outbox, flushed once ({@link WebSocket#batch}). */
    private void drain(WebSocket webSocket) {
        draining = 0;
        Queue<String> waiting = outbox;
        webSocket.batch(() -> {
            String text;
            while ((text = waiting.poll()) != null) {
                if (webSocket.readyState() == ReadyState.OPEN) {
                    send(webSocket, ByteBufUtil.writeUtf8(webSocket.alloc(), text));
                }
            }
        });
    }

    private static void send(WebSocket webSocket, ByteBuf utf8) {
        try {
            webSocket.sendText(utf8);
        } catch (IllegalStateException closing) {
            // The close handshake started: the reply has nowhere to go.
        }
    }

    @Override
    public void onBinary(WebSocket webSocket, ByteBuf data) {
        send(webSocket, Replies.error(0, ErrorCode.INVALID_JSON, "commands are JSON text messages, not binary"));
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        if (expiry != null) {
            expiry.cancel(false);
        }
        if (subscriber != null) {
            hub.unsubscribeAll(subscriber);
        }
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable cause) {
        log.debug("ws connection failed: {}", cause.toString());
    }

    /** Writes this connection's pushes: shared {@code pub} frames, a lost stretch, and {@code join}/{@code leave}. */
    private static final class PushWriter extends WebSocketSubscriber {

        PushWriter(WebSocket webSocket) {
            super(webSocket, WsEndpoint.PUB_FRAMES, null);
        }

        @Override
        public void onNotRecovered(String channel, StreamPosition position) {
            writeText(Pushes.notRecovered(channel, position));
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
