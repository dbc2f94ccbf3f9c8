package io.switchboard.server.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufInputStream;
import io.netty.handler.codec.http.FullHttpRequest;
import io.switchboard.core.Hub;
import io.switchboard.core.Message;
import io.switchboard.core.ProtocolException;
import io.switchboard.core.access.Identity;
import io.switchboard.core.protocol.Json;
import io.switchboard.server.ClientIds;
import io.switchboard.server.Printable;
import io.switchboard.server.auth.Access;
import io.switchboard.server.websocket.TextFrames;
import io.switchboard.server.websocket.WebSocketEndpoint;
import io.switchboard.server.websocket.WebSocketSubscriber;
import io.switchboard.websocket.CloseCode;
import io.switchboard.websocket.ReadyState;
import io.switchboard.websocket.WebSocket;
import io.switchboard.websocket.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import static io.switchboard.core.protocol.Json.MAPPER;

/**
 * {@code ws /chat}: the lesson's chat server, behaviour for behaviour. Each client is welcomed
 * with {@code {"type":"welcome","message":"Connected!"}}; every {@code {"type":"chat",...}} is
 * broadcast to every open client as {@code {"type":"chat","from","message","timestamp"}}; a
 * {@code {"type":"join","username"}} is announced to the others. Messages travel through the
 * channel {@code chat}, so they gain history and reach clients on every node.
 *
 * <p>A client that connects with a verified connection token ({@code ?token=} or
 * {@code Authorization: Bearer}) speaks as the token's user: its chats' {@code from} and its join's
 * {@code username} are the token's {@code sub}, whatever name it sends. Without a token (the
 * lesson's demo) the name it sends is the one shown, as in the lesson.
 */
public final class ChatEndpoint implements WebSocketEndpoint, WebSocketListener {

    /** The channel behind the chat. */
    public static final String CHANNEL = "chat";

    private static final Logger log = LoggerFactory.getLogger(ChatEndpoint.class);
    private static final String WELCOME = "{\"type\":\"welcome\",\"message\":\"Connected!\"}";
    /** Chat publications are already the frame's JSON text. */
    private static final TextFrames FRAMES = new TextFrames(Message::data);

    private final Hub hub;
    private final Access access;

    /** The chat over {@code hub}'s channel {@value #CHANNEL}; {@code access} decides who may join it. */
    public ChatEndpoint(Hub hub, Access access) {
        this.hub = hub;
        this.access = access;
    }

    @Override
    public WebSocketListener accept(FullHttpRequest handshake) {
        // The chat publishes as the server's own logic; the handshake only has to be someone who may read it.
        Identity who = access.checkSubscribe(handshake, List.of(CHANNEL));
        return who.authenticated() ? new Verified(who) : this;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        open(webSocket, null);
    }

    /** Opens a connection whose sender name is {@code user} (a verified token's), or the one it sends (null). */
    private void open(WebSocket webSocket, String user) {
        log.debug("Client connected: {}", webSocket.remoteAddress());
        String clientId = ClientIds.next();
        // Joins carry their sender's id as origin (chats carry none): the sender skips its own join, on any node.
        WebSocketSubscriber subscriber = new WebSocketSubscriber(webSocket, FRAMES,
                message -> clientId.equals(message.origin()));
        Session session = new Session(clientId, subscriber, user);
        webSocket.attach(session);
        // Welcome once subscribed (the hub completes this on the connection's event loop, before any
        // broadcast): a client that has its welcome receives every chat message sent after it.
        // No presence entry: the lesson's chat announces joins as messages, and presence would cost every
        // member a push per join and leave (quadratic in the room's size) that nobody reads.
        hub.subscribe(CHANNEL, subscriber, null, null).whenComplete((result, failure) -> {
            if (failure != null) {
                log.warn("chat subscribe failed", failure);
                webSocket.close(CloseCode.INTERNAL_ERROR, "chat unavailable");
            } else if (webSocket.readyState() == ReadyState.OPEN) {
                webSocket.sendText(WELCOME);
            }
        });
    }

    @Override
    public void onText(WebSocket webSocket, ByteBuf utf8) {
        Session session = webSocket.attachment();
        JsonNode parsed;
        try {
            parsed = Json.read(new ByteBufInputStream(utf8.duplicate()));
        } catch (ProtocolException e) {
            error(webSocket, e.getMessage());
            return;
        }
        if (!parsed.isObject()) {
            error(webSocket, "expected a JSON object like {\"type\":\"chat\",\"username\":\"...\",\"message\":\"...\"}");
            return;
        }
        String type = parsed.path("type").asText("");
        switch (type) {
            case "chat" -> chat(webSocket, session, parsed);
            case "join" -> join(webSocket, session, parsed);
            default -> error(webSocket, type.isEmpty() ? "missing \"type\"" : "unknown message type \"" + type + "\"");
        }
    }

    private void chat(WebSocket webSocket, Session session, JsonNode parsed) {
        JsonNode message = parsed.get("message");
        if (message == null || message.isNull()) {
            error(webSocket, "a chat message needs a \"message\"");
            return;
        }
        ObjectNode out = MAPPER.createObjectNode();
        out.put("type", "chat");
        JsonNode username = parsed.get("username");
        if (session.user != null) {
            out.put("from", session.user);
        } else if (username != null && !username.isNull()) {
            out.set("from", username);
        } else if (session.username != null) {
            out.put("from", session.username);
        }
        out.set("message", message);
        out.put("timestamp", System.currentTimeMillis());
        publish(webSocket, out, null);
    }

    private void join(WebSocket webSocket, Session session, JsonNode parsed) {
        JsonNode username = parsed.get("username");
        if (session.user != null) {
            session.username = session.user;
        } else if (username == null || !username.isTextual() || username.asText().isBlank()) {
            error(webSocket, "a join needs a \"username\"");
            return;
        } else {
            session.username = username.asText();
        }
        ObjectNode out = MAPPER.createObjectNode();
        out.put("type", "join");
        out.put("username", session.username);
        out.put("timestamp", System.currentTimeMillis());
        publish(webSocket, out, session.clientId);
    }

    private void publish(WebSocket webSocket, ObjectNode out, String origin) {
        hub.publish(CHANNEL, out.toString(), origin).whenComplete((stored, failure) -> {
            if (failure != null) {
                log.warn("chat publish failed", failure);
                webSocket.executor().execute(() -> error(webSocket, "message not delivered: " + failure.getMessage()));
            }
        });
    }

    private static void error(WebSocket webSocket, String message) {
        ObjectNode out = MAPPER.createObjectNode();
        out.put("type", "error");
        out.put("message", message);
        if (webSocket.readyState() == ReadyState.OPEN) {
            webSocket.sendText(out.toString());
        }
    }

    @Override
    public void onBinary(WebSocket webSocket, ByteBuf data) {
        webSocket.close(CloseCode.UNSUPPORTED_DATA, "binary messages are not supported on /chat; send JSON text");
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        log.debug("Client disconnected: {} {}", code, Printable.of(reason));
        Session session = webSocket.attachment();
        if (session != null) {
            hub.unsubscribeAll(session.subscriber);
        }
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable cause) {
        log.warn("Socket error: {}", cause.toString());
    }

    /** What the chat knows about one connection. */
    private static final class Session {
        final String clientId;
        final WebSocketSubscriber subscriber;
        /** The verified token's user, the connection's only name; null without a token. */
        final String user;
        String username;

        Session(String clientId, WebSocketSubscriber subscriber, String user) {
            this.clientId = clientId;
            this.subscriber = subscriber;
            this.user = user;
        }
    }

    /**
     * The listener of a connection with a verified token: the chat's, opening as the token's user, and
     * closed with {@link Access#TOKEN_EXPIRED} when the token expires (the lesson's chat has no command
     * to refresh it: the client connects again with a fresh token, as a {@code /ws} client that did not
     * refresh does).
     */
    private final class Verified implements WebSocketListener {
        private final Identity who;
        private ScheduledFuture<?> expiry;

        Verified(Identity who) {
            this.who = who;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            open(webSocket, who.user());
            if (who.expiresAt() != null) {
                long delay = Math.max(0, Duration.between(Instant.now(), who.expiresAt()).toMillis());
                expiry = webSocket.executor().schedule(
                        () -> webSocket.close(Access.TOKEN_EXPIRED, Access.TOKEN_EXPIRED_REASON), delay, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void onText(WebSocket webSocket, ByteBuf utf8) {
            ChatEndpoint.this.onText(webSocket, utf8);
        }

        @Override
        public void onBinary(WebSocket webSocket, ByteBuf data) {
            ChatEndpoint.this.onBinary(webSocket, data);
        }

        @Override
        public void onClosed(WebSocket webSocket, int code, String reason) {
            if (expiry != null) {
                expiry.cancel(false);
            }
            ChatEndpoint.this.onClosed(webSocket, code, reason);
        }

        @Override
        public void onFailure(WebSocket webSocket, Throwable cause) {
            ChatEndpoint.this.onFailure(webSocket, cause);
        }
    }
}
