package io.switchboard.server.ws;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchboard.core.Hub;
import io.switchboard.core.protocol.CommandParser;
import io.switchboard.core.protocol.Pushes;
import io.switchboard.server.websocket.TextFrames;
import io.switchboard.server.websocket.WebSocketEndpoint;
import io.switchboard.websocket.WebSocketListener;

import java.util.List;

/**
 * {@code ws /ws}: the general client protocol. Each connection is greeted with
 * {@code {"connect":{"client":"<id>"}}}, then sends JSON commands with ids (subscribe with an optional
 * {@code since} cursor, unsubscribe, publish, history, presence) and receives their replies and the
 * pushes of its channels ({@code pub}, {@code join}, {@code leave}); see {@code docs/protocol.md}.
 * An optional {@code ?user=<name>} on the handshake names the client in presence.
 */
public final class WsEndpoint implements WebSocketEndpoint {

    /** Longest {@code user} name taken from the handshake; a longer one is ignored. */
    public static final int MAX_USER_LENGTH = 64;

    /** {@code pub} pushes: encoded once per message, the same frame for every connection. */
    static final TextFrames PUB_FRAMES = TextFrames.ofUtf8(Pushes::pub);

    private final Hub hub;
    private final CommandParser parser;

    /** The protocol over {@code hub}'s channels. */
    public WsEndpoint(Hub hub) {
        this.hub = hub;
        this.parser = new CommandParser(hub.config().maxChannelLength());
    }

    @Override
    public WebSocketListener accept(FullHttpRequest handshake) {
        List<String> users = new QueryStringDecoder(handshake.uri()).parameters().get("user");
        String user = users == null || users.isEmpty() ? null : users.get(0);
        if (user != null && (user.isBlank() || user.length() > MAX_USER_LENGTH)) {
            user = null;
        }
        return new WsConnection(hub, parser, user);
    }
}
