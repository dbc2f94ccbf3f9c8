package io.switchboard.server.poll;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.CookieHeaderNames;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import io.switchboard.core.Hub;
import io.switchboard.core.ProtocolException;
import io.switchboard.core.StreamPosition;
import io.switchboard.core.access.Identity;
import io.switchboard.server.ServerConfig;
import io.switchboard.server.auth.Access;
import io.switchboard.server.http.ChannelQuery;
import io.switchboard.server.http.Cors;
import io.switchboard.server.http.HttpEndpoint;
import io.switchboard.server.http.HttpResponses;
import io.switchboard.server.http.Origins;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The lesson's {@code GET /api/notifications/poll}: held up to 30 s, it answers the JSON array of
 * notifications its {@code longPoll()} loop expects ({@code []} when none came). That loop sends no
 * cursor, so the poll's position travels in the cookie {@value #COOKIE}: whatever is published
 * while the loop is between polls comes with its next poll, none lost, none twice.
 */
public final class NotificationsEndpoint implements HttpEndpoint {

    /** The channel notifications are published to ({@code POST /api/notifications}). */
    public static final String CHANNEL = "notifications";
    /** The cookie that keeps a client's position in {@value #CHANNEL}. */
    public static final String COOKIE = "switchboard-notifications";
    /** The lesson's hold: "Server held this request for up to 30s". */
    static final Duration WAIT = Duration.ofSeconds(30);

    private final ServerConfig config;
    private final Polls polls;
    private final Cors cors;

    private final Access access;

    /** Notification polls over {@code hub} under {@code access}'s rules, registered in {@code held} while they wait. */
    public NotificationsEndpoint(Hub hub, ServerConfig config, Access access, HeldPolls held) {
        this.access = access;
        this.config = config;
        this.cors = new Cors(Origins.of(config.allowedOrigins()));
        this.polls = new Polls(hub, held, cors, config.maxReplyBytes());
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        Identity who;
        try {
            who = access.checkSubscribe(request, List.of(CHANNEL));
        } catch (ProtocolException refused) {
            HttpResponses.error(ctx, request, refused, cors);
            return;
        }
        StreamPosition since = position(request);
        ChannelQuery query = new ChannelQuery(List.of(CHANNEL), since == null ? Map.of() : Map.of(CHANNEL, since));
        long waitNanos = Math.min(WAIT.toNanos(), config.maxPollWait().toNanos());
        polls.hold(ctx, request, who, query, waitNanos, NotificationsEndpoint::answer);
    }

    /** The lesson's JSON array of notifications, and the cookie with the position to poll from next. */
    private static FullHttpResponse answer(ChannelHandlerContext ctx, LongPoll poll) {
        StringBuilder body = new StringBuilder(128).append('[');
        for (int i = 0; i < poll.messages().size(); i++) {
            body.append(i == 0 ? "" : ",").append(poll.messages().get(i).data());
        }
        FullHttpResponse response = HttpResponses.jsonResponse(ctx, HttpResponseStatus.OK, body.append(']').toString());
        DefaultCookie cookie = new DefaultCookie(COOKIE, poll.cursor());
        cookie.setPath("/api/notifications");
        cookie.setHttpOnly(true);
        cookie.setSameSite(CookieHeaderNames.SameSite.Lax);
        response.headers().set(HttpHeaderNames.SET_COOKIE, ServerCookieEncoder.STRICT.encode(cookie));
        return response;
    }

    /** The position in the request's cookie; null when there is none or it is unreadable (then the poll starts live). */
    private static StreamPosition position(FullHttpRequest request) {
        String header = request.headers().get(HttpHeaderNames.COOKIE);
        if (header == null) {
            return null;
        }
        for (Cookie cookie : ServerCookieDecoder.LAX.decode(header)) {
            if (COOKIE.equals(cookie.name())) {
                try {
                    return StreamPosition.parse(cookie.value());
                } catch (IllegalArgumentException stale) {
                    return null;
                }
            }
        }
        return null;
    }
}
