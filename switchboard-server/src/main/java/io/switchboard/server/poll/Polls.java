package io.switchboard.server.poll;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.switchboard.core.Hub;
import io.switchboard.core.access.Identity;
import io.switchboard.server.http.ChannelQuery;
import io.switchboard.server.http.Cors;
import io.switchboard.server.http.HttpResponses;

import java.time.Duration;
import java.time.Instant;

/**
 * What every poll endpoint shares: holding a {@link LongPoll} of a query, and sending its answer
 * uncacheable and readable cross-origin as configured; an endpoint only reads its request and
 * writes its answer's body.
 */
final class Polls {

    /** Writes the answer of a poll that subscribed. */
    @FunctionalInterface
    interface Answer {
        FullHttpResponse answer(ChannelHandlerContext ctx, LongPoll poll);
    }

    private final Hub hub;
    private final HeldPolls held;
    private final Cors cors;
    private final long maxReplyBytes;

    /** Polls of {@code hub}'s channels, registered in {@code held} while they wait, readable cross-origin as {@code cors} allows. */
    Polls(Hub hub, HeldPolls held, Cors cors, long maxReplyBytes) {
        this.maxReplyBytes = maxReplyBytes;
        this.hub = hub;
        this.held = held;
        this.cors = cors;
    }

    /**
     * Holds a poll of {@code query} by {@code who} for up to {@code waitNanos}, then answers
     * {@code request} with {@code answer}. A poll does not outlive its connection token: it is
     * answered (with what it has) when the token expires, so the next poll carries a fresh one.
     */
    void hold(ChannelHandlerContext ctx, FullHttpRequest request, Identity who, ChannelQuery query, long waitNanos, Answer answer) {
        HttpRequest head = HttpResponses.headOf(request);
        new LongPoll(hub, ctx.channel(), query, untilExpiry(who, waitNanos), maxReplyBytes, held, poll -> {
            FullHttpResponse response;
            try {
                response = response(ctx, poll, answer);
            } catch (OutOfMemoryError e) {
                // Reading the history or building the reply ran out of memory (the buffer pool, maybe):
                // the router answers 503 from the heap, logs it at WARN and closes the connection.
                ctx.pipeline().fireExceptionCaught(e);
                return;
            }
            response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
            HttpResponses.send(ctx, head, cors.allow(response, head));
        }).start();
    }

    /** The poll's answer, or its failure's; throws the {@link OutOfMemoryError} a failure is or wraps. */
    private static FullHttpResponse response(ChannelHandlerContext ctx, LongPoll poll, Answer answer) {
        if (poll.failure() == null) {
            return answer.answer(ctx, poll);
        }
        for (Throwable t = poll.failure(); t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof OutOfMemoryError memory) {
                throw memory;
            }
        }
        return HttpResponses.failureResponse(ctx, poll.failure(), "the server cannot poll now");
    }

    /** {@code waitNanos}, cut short at {@code who}'s token expiry (a wait of at least 1 ns: 0 is a short poll's). */
    static long untilExpiry(Identity who, long waitNanos) {
        if (who.expiresAt() == null || waitNanos == 0) {
            return waitNanos;
        }
        Duration left = Duration.between(Instant.now(), who.expiresAt());
        // Compared as durations: a token that lasts for centuries has more nanoseconds left than a long holds.
        return left.compareTo(Duration.ofNanos(waitNanos)) >= 0 ? waitNanos : Math.max(1, left.toNanos());
    }
}
