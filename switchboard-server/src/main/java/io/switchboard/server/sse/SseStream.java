package io.switchboard.server.sse;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.core.StreamPosition;
import io.switchboard.core.Hub;
import io.switchboard.core.Message;
import io.switchboard.core.Subscriber;
import io.switchboard.server.Backpressure;
import io.switchboard.server.Heartbeat;
import io.switchboard.server.SlowConsumerGrace;
import io.switchboard.server.http.ChannelCursor;
import io.switchboard.server.http.ChannelQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * One open event stream: the channels' publications as SSE events (recovered ones first), comment
 * heartbeats (from the endpoint's per-event-loop {@link Heartbeat} sweep), and the end of its subscriptions when the client goes away. Sits last in a pipeline
 * that no longer speaks HTTP: whatever the client sends after its request is dropped.
 *
 * <p>Nothing is flushed until every channel is subscribed, so a client whose stream has opened
 * misses nothing published after that; the stream then sends an event-less {@code id:} with the
 * position it starts from, which EventSource keeps as its Last-Event-ID: a stream that drops
 * before its first event still resumes from where it began. A channel whose cursor could not be
 * recovered, or whose publications were lost on their way later, is told with an unnamed event
 * ({@code onmessage}) carrying {@code "recovered":false}.
 *
 * <p>A stream opened with a connection token that has {@code exp} ends when it expires: a last
 * unnamed event {@code {"disconnect":{"code":3000,"reason":"token expired"}}}, then the end of the
 * body; the client comes back with a fresh token and its Last-Event-ID.
 */
final class SseStream extends ChannelInboundHandlerAdapter implements Subscriber {

    private static final Logger log = LoggerFactory.getLogger(SseStream.class);

    private final Hub hub;
    private final Channel channel;
    private final SseEvents format;
    /** The stream's position in each channel: the {@code id:} of its events. */
    private final ChannelCursor cursor;
    private Heartbeat<SseStream> heartbeat;
    private boolean written;
    private final SlowConsumerGrace slowConsumers;
    /** The slow-consumer timer while the stream is over its outbound limit; null otherwise. */
    private ScheduledFuture<?> slowConsumerCheck;
    /** When the stream's connection token expires; null: never. */
    private final Instant expiresAt;
    /** Ends the stream when its token expires; null while it has no expiry. */
    private ScheduledFuture<?> expiry;

    SseStream(Hub hub, Channel channel, SseEvents format, ChannelQuery query, SlowConsumerGrace slowConsumers, Instant expiresAt) {
        this.hub = hub;
        this.expiresAt = expiresAt;
        this.slowConsumers = slowConsumers;
        this.channel = channel;
        this.format = format;
        this.cursor = new ChannelCursor(query);
    }

    /** Subscribes to every channel (recovering from the query's cursors), then opens the stream and joins {@code heartbeat}. */
    void start(Heartbeat<SseStream> heartbeat) {
        this.heartbeat = heartbeat;
        if (expiresAt != null) {
            long delay = Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis());
            expiry = channel.eventLoop().schedule(this::expire, delay, TimeUnit.MILLISECONDS);
        }
        cursor.subscribe(hub, this, new ChannelCursor.Listener() {
            @Override
            public void failed(String name, Throwable failure) {
                log.debug("event stream could not subscribe to {}", name, failure);
                channel.close();
            }

            @Override
            public void subscribed() {
                opened();
            }
        });
        if (!channel.isActive()) {
            stop(); // closed before this handler could hear of it: channelInactive will not come
        }
    }

    /** The client went away: its subscriptions end (in the pipeline, not as a close listener: no object per stream). */
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    /** Every channel is subscribed: tell the client where the stream starts and keep it alive from now on. */
    private void opened() {
        if (!channel.isActive()) {
            return; // the client left while subscribing; stop() has run
        }
        channel.write(Unpooled.wrappedBuffer(SseEvents.position(cursor.text())), channel.voidPromise());
        for (String name : cursor.unrecovered()) {
            channel.write(Unpooled.wrappedBuffer(SseEvents.notRecovered(name, cursor.position(name))), channel.voidPromise());
        }
        written = true;
        heartbeat.watch(channel.eventLoop(), this);
    }

    /** A comment line that keeps proxies from timing the stream out; false once the stream is closed. */
    static boolean ping(SseStream stream) {
        if (!stream.channel.isActive()) {
            return false;
        }
        stream.channel.writeAndFlush(SseEvents.ping(), stream.channel.voidPromise());
        return true;
    }

    /**
     * The token expired: a last unnamed event says so, the body ends, the connection closes. The
     * client reconnects with a fresh token and its Last-Event-ID, and misses nothing.
     */
    private void expire() {
        if (channel.isActive()) {
            log.debug("event stream {}: token expired", channel);
            channel.writeAndFlush(SseEvents.tokenExpired()).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void stop() {
        SlowConsumerGrace.cancel(slowConsumerCheck);
        if (expiry != null) {
            expiry.cancel(false);
        }
        hub.unsubscribeAll(this);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // A stream over its outbound limit for the grace period is closed; it resumes from Last-Event-ID.
        slowConsumerCheck = slowConsumers.writabilityChanged(channel, slowConsumerCheck, channel::close);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public Executor executor() {
        return channel.eventLoop();
    }

    @Override
    public void onPublication(Message message) {
        if (!channel.isActive()) {
            return;
        }
        if (Backpressure.overHardLimit(channel)) {
            // Far over its limit before the grace period ends: cut it off now; it resumes from Last-Event-ID.
            log.debug("closing slow event stream {}", channel);
            channel.close();
            return;
        }
        cursor.advance(message);
        if (!cursor.several()) {
            channel.write(format.event(message), channel.voidPromise());
        } else {
            channel.write(Unpooled.wrappedBuffer(SseEvents.idLine(cursor.text())), channel.voidPromise());
            channel.write(format.eventWithoutId(message), channel.voidPromise());
        }
        written = true;
    }

    /** Publications were lost: the stream moves past them and tells the client as when it opened. */
    @Override
    public void onNotRecovered(String name, StreamPosition position) {
        if (!channel.isActive()) {
            return;
        }
        cursor.lost(name, position);
        channel.write(Unpooled.wrappedBuffer(SseEvents.position(cursor.text())), channel.voidPromise());
        channel.write(Unpooled.wrappedBuffer(SseEvents.notRecovered(name, position)), channel.voidPromise());
        written = true;
    }

    @Override
    public void flush() {
        if (written && cursor.subscribed()) {
            written = false;
            channel.flush();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.debug("event stream failed", cause);
        ctx.close();
    }
}
