package io.switchboard.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.switchboard.websocket.CloseCode;

import javax.net.ssl.SSLException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The entry point of the Java client: owns a small Netty event loop group that its WebSockets and
 * event sources share. Create one per application and {@link #close()} it when done.
 *
 * <pre>{@code
 * try (SwitchboardClient client = new SwitchboardClient(new ClientConfig())) {
 *     ClientWebSocket socket = client.connect(URI.create("ws://localhost:8080/echo"), listener);
 * }
 * }</pre>
 */
public final class SwitchboardClient implements AutoCloseable {

    private final ClientConfig config;
    private final EventLoopGroup group;
    private final SslContext ssl;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /** A client with default settings. */
    public SwitchboardClient() {
        this(new ClientConfig());
    }

    /** A client with {@code config}. */
    public SwitchboardClient(ClientConfig config) {
        this.config = config;
        this.ssl = tls(config);
        this.group = new MultiThreadIoEventLoopGroup(config.ioThreads(), NioIoHandler.newFactory());
    }

    /**
     * Opens a WebSocket to a {@code ws://} or {@code wss://} URI. Returns at once, CONNECTING;
     * {@link ClientListener#onOpen} or {@link ClientListener#onFailure} tells how it went.
     */
    public ClientWebSocket connect(URI uri, ClientListener listener) {
        Connection connection = new Connection(this, webSocketUri(uri), listener);
        connection.open();
        return connection;
    }

    /**
     * A WebSocket that reconnects with {@code backoff} after every abnormal close, until
     * {@link ClientWebSocket#close} is called. Starts connecting at once.
     */
    public ReconnectingWebSocket reconnecting(URI uri, Backoff backoff, ReconnectingWebSocket.Listener listener) {
        ReconnectingWebSocket socket = new ReconnectingWebSocket(this, webSocketUri(uri), backoff, listener);
        socket.connect();
        return socket;
    }

    /** An {@link EventSource} reading {@code text/event-stream} from an {@code http://} or {@code https://} URI. Starts connecting at once. */
    public EventSource eventSource(URI uri, EventSource.Listener listener) {
        EventSource source = new EventSource(this, httpUri(uri), listener);
        source.connect();
        return source;
    }

    /** The settings this client was made with. */
    public ClientConfig config() {
        return config;
    }

    /**
     * Closes every open WebSocket with 1001 (going away), waits up to the connect timeout for the
     * closing handshakes, then closes what is left and stops the event loops. Reconnecting sockets
     * and event sources stop.
     */
    @Override
    public void close() {
        closed = true;
        List<Connection> open = new ArrayList<>(connections);
        for (Connection connection : open) {
            connection.close(CloseCode.GOING_AWAY, "client closing");
        }
        long deadline = System.nanoTime() + config.connectTimeout().toNanos();
        for (Connection connection : open) {
            connection.closeFuture().awaitUninterruptibly(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Whether {@link #close()} was called: nothing reconnects any more. */
    boolean isClosed() {
        return closed;
    }

    void remember(Connection connection) {
        connections.add(connection);
    }

    void forget(Connection connection) {
        connections.remove(connection);
    }

    EventLoopGroup group() {
        return group;
    }

    /** Opens TCP (and TLS for a secure URI) to {@code uri}'s host, then runs {@code handlers} over it. */
    ChannelFuture open(URI uri, ChannelHandler... handlers) {
        boolean secure = isSecure(uri);
        String host = host(uri);
        int port = port(uri);
        return new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (secure) {
                            ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc(), host, port));
                        }
                        ch.pipeline().addLast(handlers);
                    }
                })
                .connect(host, port);
    }

    /** The {@code Host} header value for {@code uri}: the port only when it is not the scheme's default. */
    static String hostHeader(URI uri) {
        boolean defaultPort = uri.getPort() == -1 || uri.getPort() == (isSecure(uri) ? 443 : 80);
        return defaultPort ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    }

    /** The request target: the raw path ("/" when empty) and query. */
    static String requestTarget(URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    }

    private static boolean isSecure(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals("wss") || scheme.equals("https");
    }

    private static String host(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : isSecure(uri) ? 443 : 80;
    }

    private static URI webSocketUri(URI uri) {
        return checkScheme(uri, "ws", "wss");
    }

    private static URI httpUri(URI uri) {
        return checkScheme(uri, "http", "https");
    }

    private static URI checkScheme(URI uri, String plain, String secure) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals(plain) && !scheme.equals(secure)) {
            throw new IllegalArgumentException("expected a " + plain + ":// or " + secure + ":// URI: " + uri);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("URI has no host: " + uri);
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("URI must not have a fragment: " + uri);
        }
        return uri;
    }

    private static SslContext tls(ClientConfig config) {
        try {
            SslContextBuilder builder = SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS");
            if (config.trustedCertificates() != null) {
                builder.trustManager(config.trustedCertificates().toFile());
            }
            return builder.build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot set up TLS: " + e.getMessage(), e);
        }
    }
}
