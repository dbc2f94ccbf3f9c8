package io.switchboard.server.poll;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchboard.core.ErrorCode;
import io.switchboard.core.Hub;
import io.switchboard.core.ProtocolException;
import io.switchboard.core.access.Identity;
import io.switchboard.core.protocol.Publications;
import io.switchboard.server.ServerConfig;
import io.switchboard.server.auth.Access;
import io.switchboard.server.http.ChannelQuery;
import io.switchboard.server.http.Cors;
import io.switchboard.server.http.HttpEndpoint;
import io.switchboard.server.http.HttpResponses;
import io.switchboard.server.http.Origins;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code GET /poll?channel=a[&channel=b]&since=<cursor>&wait=<seconds>}: long polling (held up to
 * {@code wait} seconds, 30 by default, capped at {@link ServerConfig#maxPollWait()}) and short
 * polling ({@code wait=0}). Answers at once when messages after the cursor exist:
 * {@code {"messages":[{"channel","offset","epoch","data"}...],"cursor":"<next>","recovered":true}}.
 * A private channel needs its subscription token ({@code &sub_token=}, one per private channel); a
 * poll is answered no later than its connection token's {@code exp}.
 */
public final class PollEndpoint implements HttpEndpoint {

    /** The wait when the request names none. */
    static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

    private final Hub hub;
    private final ServerConfig config;
    private final Polls polls;
    private final Cors cors;

    private final Access access;

    /** Polls of {@code hub}'s channels under {@code access}'s rules, registered in {@code held} while they wait. */
    public PollEndpoint(Hub hub, ServerConfig config, Access access, HeldPolls held) {
        this.hub = hub;
        this.access = access;
        this.config = config;
        this.cors = new Cors(Origins.of(config.allowedOrigins()));
        this.polls = new Polls(hub, held, cors, config.maxReplyBytes());
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        ChannelQuery query;
        Identity who;
        long waitNanos;
        try {
            query = ChannelQuery.parse(uri, ChannelQuery.parameter(uri, "since"), hub.config());
            who = access.checkSubscribe(request, query.channels());
            waitNanos = waitNanos(ChannelQuery.parameter(uri, "wait"), config.maxPollWait());
        } catch (ProtocolException e) {
            HttpResponses.error(ctx, request, e, cors);
            return;
        }
        polls.hold(ctx, request, who, query, waitNanos, PollEndpoint::answer);
    }

    /** {@code {"messages":[...],"cursor":"...","recovered":true}}. */
    private static FullHttpResponse answer(ChannelHandlerContext ctx, LongPoll poll) {
        ByteBuf body = ctx.alloc().buffer(256);
        body.writeCharSequence("{\"messages\":[", StandardCharsets.US_ASCII);
        for (int i = 0; i < poll.messages().size(); i++) {
            if (i > 0) {
                body.writeByte(',');
            }
            // Each publication's JSON is encoded once, however many polls return it.
            body.writeBytes(Publications.json(poll.messages().get(i)));
        }
        body.writeCharSequence("],\"cursor\":" + HttpResponses.JSON.getNodeFactory().textNode(poll.cursor())
                + ",\"recovered\":" + poll.recovered() + "}", StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, body);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpResponses.JSON_CONTENT_TYPE);
        return response;
    }

    /** {@code wait} in seconds (default 30), capped at {@code max}; not a number or negative: bad request. */
    static long waitNanos(String wait, Duration max) {
        double seconds;
        if (wait == null) {
            seconds = DEFAULT_WAIT.toSeconds();
        } else {
            try {
                seconds = Double.parseDouble(wait);
            } catch (NumberFormatException e) {
                seconds = Double.NaN;
            }
            if (!(seconds >= 0) || Double.isInfinite(seconds)) {
                throw new ProtocolException(ErrorCode.BAD_REQUEST, "wait must be a number of seconds, 0 or more");
            }
        }
        return Math.min((long) (seconds * 1e9), max.toNanos());
    }
}
