package io.switchboard.server.ws;

import io.netty.handler.codec.http.FullHttpRequest;
import io.switchboard.core.Hub;
import io.switchboard.core.protocol.CommandParser;
import io.switchboard.core.protocol.Pushes;
import io.switchboard.server.ServerConfig;
import io.switchboard.server.auth.Access;
import io.switchboard.server.websocket.TextFrames;
import io.switchboard.server.websocket.WebSocketEndpoint;
import io.switchboard.websocket.WebSocketListener;

/**
 * {@code ws /ws}: the general client protocol. Each connection is greeted with
 * {@code {"connect":{"client":"<id>"}}}, then sends JSON commands with ids (subscribe with an optional
 * {@code since} cursor, unsubscribe, publish, history, presence) and receives their replies and the
 * pushes of its channels ({@code pub}, {@code join}, {@code leave}); see {@code docs/protocol.md}.
 * A connection token ({@code Authorization: Bearer}, {@code ?token=}, or the {@code connect}
 * command) names the client's user in presence; every command passes the server's {@link Access}.
 */
public final class WsEndpoint implements WebSocketEndpoint {

    /** {@code pub} pushes: encoded once per message, the same frame for every connection. */
    static final TextFrames PUB_FRAMES = TextFrames.ofUtf8(Pushes::pub);

    private final Hub hub;
    private final CommandParser parser;
    private final Access access;

    private final ServerConfig config;

    /** The protocol over {@code hub}'s channels, under {@code access}'s rules and {@code config}'s limits. */
    public WsEndpoint(Hub hub, Access access, ServerConfig config) {
        this.config = config;
        this.hub = hub;
        this.parser = new CommandParser(hub.config().maxChannelLength());
        this.access = access;
    }

    @Override
    public WebSocketListener accept(FullHttpRequest handshake) {
        // A token on the handshake must be good (else 401); without one the client may still send connect.
        return new WsConnection(hub, parser, access, access.identifyPresented(handshake),
                config.maxCommandsPerSecond(), config.maxReplyBytes());
    }
}
