package io.switchboard.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The browser's {@code EventSource} for Java: reads Server-Sent Events from an HTTP URI and,
 * when the stream ends or the connection drops, reconnects after the reconnection time (the
 * server's {@code retry:}, 3 s until it sends one) with {@code Last-Event-ID} set to the last
 * {@code id:} it saw, so a resumable server sends exactly what was missed. A response other than
 * {@code 200} with {@code Content-Type: text/event-stream} fails it for good.
 */
public final class EventSource implements AutoCloseable {

    /** The browser API's {@code EventSource.readyState} values, with the same numbers. */
    public enum State {
        /** 0: connecting, or waiting to reconnect. */
        CONNECTING,
        /** 1: the stream is open; events are being dispatched. */
        OPEN,
        /** 2: closed by {@link #close()} or by a response that cannot be an event stream; no more reconnects. */
        CLOSED
    }

    /**
     * One dispatched event.
     *
     * @param type        the {@code event:} field, {@code "message"} when there was none
     * @param data        the {@code data:} lines joined with LF
     * @param lastEventId the last {@code id:} seen on the stream, empty when none
     */
    public record Event(String type, String data, String lastEventId) {
    }

    /** Callbacks of an {@link EventSource}, on its event loop; each does nothing by default. */
    public interface Listener {

        /** The server answered {@code 200 text/event-stream}; the source is OPEN. */
        default void onOpen(EventSource source) { }

        /** An event arrived (a blank line ended it). */
        default void onMessage(EventSource source, Event event) { }

        /**
         * The connection failed or ended: with {@link #readyState()} CONNECTING it will reconnect
         * after {@link #reconnectionTime()}; with CLOSED it gave up (bad status or content type).
         */
        default void onError(EventSource source, Throwable cause) { }
    }

    private static final Duration DEFAULT_RECONNECTION_TIME = Duration.ofSeconds(3);

    private final SwitchboardClient client;
    private final URI uri;
    private final Listener listener;
    private final EventStreamParser parser;
    private volatile State state = State.CONNECTING;
    private volatile long reconnectionMillis = DEFAULT_RECONNECTION_TIME.toMillis();
    private volatile Channel channel;
    private volatile ScheduledFuture<?> pending;

    EventSource(SwitchboardClient client, URI uri, Listener listener) {
        this.client = client;
        this.uri = uri;
        this.listener = listener;
        this.parser = new EventStreamParser(new EventStreamParser.Sink() {
            @Override
            public void onEvent(Event event) {
                if (state == State.OPEN) {
                    listener.onMessage(EventSource.this, event);
                }
            }

            @Override
            public void onRetry(long millis) {
                reconnectionMillis = millis;
            }
        }, client.config().maxMessageSize());
    }

    /** The URI the events are read from. */
    public URI uri() {
        return uri;
    }

    /** The connection's state, numbered as in the browser API. */
    public State readyState() {
        return state;
    }

    /** The last event ID: sent as {@code Last-Event-ID} when reconnecting. */
    public String lastEventId() {
        return parser.lastEventId();
    }

    /** How long it waits before reconnecting: the server's last {@code retry:} value, or 3 s. */
    public Duration reconnectionTime() {
        return Duration.ofMillis(reconnectionMillis);
    }

    /** Closes the stream and stops reconnecting; readyState becomes CLOSED. */
    @Override
    public void close() {
        state = State.CLOSED;
        ScheduledFuture<?> waiting = pending;
        if (waiting != null) {
            waiting.cancel(false);
        }
        Channel open = channel;
        if (open != null) {
            open.close();
        }
    }

    void connect() {
        pending = null;
        if (state == State.CLOSED) {
            return;
        }
        Stream stream = new Stream();
        ChannelFuture connect = client.open(uri, new HttpClientCodec(), stream);
        channel = connect.channel();
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                stream.ended(f.cause());
            }
        });
    }

    /** The connection dropped or the stream ended: tell the listener, then try again after the reconnection time. */
    private void reconnect(Throwable cause) {
        if (client.isClosed()) {
            state = State.CLOSED;
        }
        if (state == State.CLOSED) {
            return;
        }
        state = State.CONNECTING;
        listener.onError(this, cause);
        if (state == State.CONNECTING) {
            try {
                pending = client.group().schedule(this::connect, reconnectionMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                state = State.CLOSED; // the client was closed
            }
        }
    }

    /** Fails the source for good: the server's answer cannot be an event stream. */
    private void fail(Throwable cause) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        listener.onError(this, cause);
    }

    /** One HTTP request and its streamed response. */
    private final class Stream extends ChannelInboundHandlerAdapter {

        private boolean ended;
        private boolean failed;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, SwitchboardClient.requestTarget(uri));
            client.config().headers().forEach((name, value) -> request.headers().set(name, value));
            request.headers()
                    .set(HttpHeaderNames.HOST, SwitchboardClient.hostHeader(uri))
                    .set(HttpHeaderNames.ACCEPT, "text/event-stream")
                    .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
            String lastEventId = parser.lastEventId();
            if (!lastEventId.isEmpty()) {
                request.headers().set("Last-Event-ID", lastEventId);
            }
            ctx.writeAndFlush(request);
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (failed || state == State.CLOSED) {
                    return;
                }
                if (msg instanceof HttpResponse response) {
                    opened(ctx, response);
                }
                if (msg instanceof HttpContent content && state == State.OPEN) {
                    parser.feed(content.content());
                }
                if (msg instanceof LastHttpContent) {
                    ctx.close(); // the server ended the stream: reconnect (channelInactive)
                }
            } catch (IOException e) {
                exceptionCaught(ctx, e);
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        private void opened(ChannelHandlerContext ctx, HttpResponse response) {
            String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
            String mime = type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (response.status().code() != 200 || !mime.equals("text/event-stream")) {
                failed = true;
                ctx.close();
                fail(new IOException("not an event stream: " + response.status() + " " + type));
                return;
            }
            parser.reset();
            state = State.OPEN;
            listener.onOpen(EventSource.this);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ended(new IOException("the event stream from " + uri + " ended"));
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ended(cause);
            ctx.close();
        }

        void ended(Throwable cause) {
            if (ended || failed) {
                return;
            }
            ended = true;
            reconnect(cause);
        }
    }

    @Override
    public String toString() {
        return "EventSource[" + uri + ", " + state + "]";
    }
}
