package io.switchboard.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.websocket.CloseCode;
import io.switchboard.websocket.ReadyState;
import io.switchboard.websocket.WebSocket;
import io.switchboard.websocket.WebSocketListener;
import io.switchboard.websocket.WebSocketProtocolHandler;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * One client WebSocket connection: the opening handshake ({@link ClientHandshake}), then the
 * shared {@link WebSocketProtocolHandler} in the client role, its events turned into
 * {@link ClientListener} calls with Java strings and byte buffers.
 */
final class Connection implements ClientWebSocket, WebSocketListener {

    /** Largest HTTP response accepted for a refused handshake (its body goes into the exception). */
    private static final int MAX_HANDSHAKE_RESPONSE = 64 * 1024;

    private final SwitchboardClient client;
    private final URI uri;
    private final ClientListener listener;
    private volatile ReadyState state = ReadyState.CONNECTING;
    private volatile Channel channel;
    private volatile WebSocketProtocolHandler protocol;
    private ScheduledFuture<?> pinger;

    Connection(SwitchboardClient client, URI uri, ClientListener listener) {
        this.client = client;
        this.uri = uri;
        this.listener = listener;
    }

    void open() {
        ClientConfig config = client.config();
        ClientHandshake handshake = new ClientHandshake(this, uri, config.headers());
        ChannelFuture connect = client.open(uri, new HttpClientCodec(), new HttpObjectAggregator(MAX_HANDSHAKE_RESPONSE), handshake);
        channel = connect.channel();
        client.remember(this);
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                failOpening(f.cause());
            }
        });
        channel.closeFuture().addListener(f -> client.forget(this));
        ScheduledFuture<?> timeout = channel.eventLoop().schedule(() -> {
            if (state == ReadyState.CONNECTING) {
                failOpening(new IOException("opening handshake with " + uri + " took longer than " + config.connectTimeout()));
            }
        }, config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(f -> timeout.cancel(false));
    }

    /** The server accepted the handshake: the protocol handler, already in the pipeline, takes over. */
    void opened(WebSocketProtocolHandler handler) {
        protocol = handler;
        handler.start();
    }

    /** A handler for this connection in the client role (masks what it sends, expects unmasked frames). */
    WebSocketProtocolHandler newProtocolHandler() {
        return new WebSocketProtocolHandler(false, client.config().maxMessageSize(), null, this);
    }

    /** The connection failed before it opened: report it once, then closed with 1006. */
    void failOpening(Throwable cause) {
        synchronized (this) {
            if (state == ReadyState.CLOSED || protocol != null) {
                return;
            }
            state = ReadyState.CLOSED;
        }
        channel.close();
        safely(() -> listener.onFailure(this, cause));
        safely(() -> listener.onClosed(this, CloseCode.ABNORMAL, ""));
    }

    ReadyState state() {
        return state;
    }

    /** Completes when the TCP connection is closed. */
    ChannelFuture closeFuture() {
        return channel.closeFuture();
    }

    @Override
    public URI uri() {
        return uri;
    }

    @Override
    public ReadyState readyState() {
        return state;
    }

    @Override
    public void send(String text) {
        checkOpen().sendText(text);
    }

    @Override
    public void send(byte[] bytes) {
        send(ByteBuffer.wrap(bytes));
    }

    @Override
    public void send(ByteBuffer bytes) {
        WebSocketProtocolHandler handler = checkOpen();
        handler.sendBinary(Unpooled.copiedBuffer(bytes));
    }

    private WebSocketProtocolHandler checkOpen() {
        WebSocketProtocolHandler handler = protocol;
        if (state != ReadyState.OPEN || handler == null) {
            throw new IllegalStateException("WebSocket is not open (readyState " + state + ")");
        }
        return handler;
    }

    @Override
    public void close(int code, String reason) {
        if (!CloseCode.isValidOnWire(code)) {
            throw new IllegalArgumentException("close code " + code + " may not be sent");
        }
        if (transition(ReadyState.CONNECTING, ReadyState.CLOSING)) {
            channel.eventLoop().execute(() -> {
                if (protocol != null) {
                    protocol.close(code, reason);
                } else {
                    failOpening(new IOException("closed by the client before the connection opened"));
                }
            });
        } else if (transition(ReadyState.OPEN, ReadyState.CLOSING)) {
            protocol.close(code, reason);
        }
    }

    /** Moves from {@code from} to {@code to}; false when the state was another one. */
    private synchronized boolean transition(ReadyState from, ReadyState to) {
        if (state != from) {
            return false;
        }
        state = to;
        return true;
    }

    // ---------------------------------------------------------------- protocol handler events

    @Override
    public void onOpen(WebSocket webSocket) {
        if (!transition(ReadyState.CONNECTING, ReadyState.OPEN)) {
            return; // close() raced with the handshake; it closes the socket just opened
        }
        long pingMillis = client.config().pingInterval().toMillis();
        if (pingMillis > 0) {
            pinger = channel.eventLoop().scheduleWithFixedDelay(this::ping, pingMillis, pingMillis, TimeUnit.MILLISECONDS);
        }
        listener.onOpen(this);
    }

    private void ping() {
        if (protocol.pingOutstanding()) {
            channel.close(); // no pong since the last ping: the peer is gone (1006)
        } else {
            protocol.ping(Unpooled.EMPTY_BUFFER);
        }
    }

    @Override
    public void onText(WebSocket webSocket, ByteBuf utf8) {
        listener.onMessage(this, utf8.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void onBinary(WebSocket webSocket, ByteBuf data) {
        ByteBuffer copy = ByteBuffer.allocate(data.readableBytes());
        data.getBytes(data.readerIndex(), copy);
        listener.onMessage(this, copy.flip());
    }

    @Override
    public void onClosing(WebSocket webSocket, int code, String reason) {
        transition(ReadyState.OPEN, ReadyState.CLOSING);
        listener.onClosing(this, code, reason);
    }

    @Override
    public void onClosed(WebSocket webSocket, int code, String reason) {
        synchronized (this) {
            state = ReadyState.CLOSED;
        }
        client.forget(this);
        if (pinger != null) {
            pinger.cancel(false);
        }
        listener.onClosed(this, code, reason);
    }

    @Override
    public void onFailure(WebSocket webSocket, Throwable cause) {
        listener.onFailure(this, cause);
    }

    private void safely(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            // A listener that throws while being told of a failure has nobody left to tell.
        }
    }

    @Override
    public String toString() {
        return "ClientWebSocket[" + uri + ", " + state + "]";
    }
}
