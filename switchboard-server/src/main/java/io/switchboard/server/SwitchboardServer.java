package io.switchboard.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.switchboard.core.Hub;
import io.switchboard.server.chat.ChatEndpoint;
import io.switchboard.server.demo.PriceTicker;
import io.switchboard.core.access.ChannelAccess;
import io.switchboard.core.access.Namespace;
import io.switchboard.server.auth.Access;
import io.switchboard.server.http.ConnectionLimits;
import io.switchboard.server.http.Cors;
import io.switchboard.server.http.HttpPipeline;
import io.switchboard.server.http.HttpRouter;
import io.switchboard.server.http.Origins;
import io.switchboard.server.http.StaticFiles;
import io.switchboard.server.http.StaticResources;
import io.switchboard.server.metrics.ServerMetrics;
import io.switchboard.server.poll.HeldPolls;
import io.switchboard.server.poll.NotificationsEndpoint;
import io.switchboard.server.poll.PollEndpoint;
import io.switchboard.server.ws.WsEndpoint;
import io.switchboard.server.publish.PublishEndpoint;
import io.switchboard.server.sse.SseEndpoint;
import io.switchboard.server.websocket.EchoEndpoint;
import io.switchboard.server.websocket.WebSocketUpgrade;
import io.switchboard.websocket.CloseCode;
import io.switchboard.websocket.WebSocketProtocolHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A running Switchboard server. {@code SwitchboardServer.start(new ServerConfig().port(0))}
 * binds (port 0 picks a free port), serves every endpoint, and returns; {@link #close()} shuts
 * down gracefully (stop accepting, close every WebSocket with 1001, drain, stop).
 */
public final class SwitchboardServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SwitchboardServer.class);
    /** The namespace of the demo page's board ({@code demo:board}), open to client publishing unless configured otherwise. */
    public static final String DEMO_NAMESPACE = "demo";
    private static final AdaptiveRecvByteBufAllocator READ_SIZES = new AdaptiveRecvByteBufAllocator();

    private final ServerConfig config;
    private final Hub hub;
    private final EventLoopGroup bossGroup;
    private final EventLoopGroup workerGroup;
    /** Each open connection is in exactly one of these: upgraded ones move to {@code webSockets}. */
    private final ChannelGroup httpConnections = new DefaultChannelGroup("http", GlobalEventExecutor.INSTANCE);
    private final ChannelGroup webSockets = new DefaultChannelGroup("websockets", GlobalEventExecutor.INSTANCE);
    private final List<AutoCloseable> services = new ArrayList<>();
    private final HeldPolls heldPolls = new HeldPolls();
    private final ConnectionLimits connectionLimits;
    private final Access access;
    private final Transport transport;
    private Channel serverChannel;
    private volatile boolean closed;

    private SwitchboardServer(ServerConfig config) {
        this.config = config;
        this.access = new Access(config.tokens(), config.anonymous(), channelAccess(config));
        // Each channel's history limits and join/leave pushes follow its namespace.
        this.hub = new Hub(config.broker().apply(config.hub()), config.hub(), access.channels());
        this.transport = config.transport().resolve();
        this.connectionLimits = new ConnectionLimits(config.maxConnections(), config.maxConnectionsPerAddress(), this::connectionCount);
        IoHandlerFactory io = transport.ioHandlerFactory();
        this.bossGroup = new MultiThreadIoEventLoopGroup(1, io);
        this.workerGroup = new MultiThreadIoEventLoopGroup(config.ioThreads(), io);
    }

    /**
     * The channel rules of {@code config}: its namespaces over a default one with the hub's history
     * settings; the lesson's channels are published by the server's own logic only.
     */
    private static ChannelAccess channelAccess(ServerConfig config) {
        Namespace defaults = config.namespaces().stream().filter(n -> n.name().isEmpty()).findFirst()
                .orElse(Namespace.open("", config.hub().historySize(), config.hub().historyTtl()));
        List<Namespace> namespaces = new ArrayList<>(config.namespaces());
        if (namespaces.stream().noneMatch(n -> n.name().equals(DEMO_NAMESPACE))) {
            // The demo page's board: a public scratch area where any page may publish.
            namespaces.add(defaults.withName(DEMO_NAMESPACE).withSubscribe(Namespace.SubscribePolicy.ANYONE).withClientPublish(true));
        }
        return new ChannelAccess(defaults, namespaces, Set.of(ChatEndpoint.CHANNEL, PriceTicker.CHANNEL, NotificationsEndpoint.CHANNEL));
    }

    /**
     * Starts a server with {@code config}; returns once it is listening. Fails with
     * {@link IllegalStateException} when it cannot bind, and with the broker's exception (for
     * Redis, {@link io.switchboard.core.BrokerUnavailableException}) when the broker cannot start.
     */
    public static SwitchboardServer start(ServerConfig config) {
        SwitchboardServer server = new SwitchboardServer(config);
        try {
            server.bind();
        } catch (Exception e) {
            server.close();
            throw new IllegalStateException("could not start on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        return server;
    }

    private void bind() throws Exception {
        if (config.tokens() == null) {
            log.warn("no token key configured (--token-secret, --token-public-key, --token-jwks-url): every client is anonymous");
        }
        SslContext ssl = config.tlsCert() == null ? null
                : ServerTls.context(config.tlsCert(), config.tlsKey());
        Origins origins = Origins.of(config.allowedOrigins());
        WebSocketUpgrade upgrade = new WebSocketUpgrade(config, httpConnections, webSockets);
        HttpRouter router = new HttpRouter(upgrade, new Cors(origins));
        router.webSocket("/echo", new EchoEndpoint());
        router.webSocket("/chat", new ChatEndpoint(hub, access));
        router.webSocket("/ws", new WsEndpoint(hub, access, config));
        StaticResources web = new StaticResources("io/switchboard/server/web/");
        router.http("/", Set.of(HttpMethod.GET, HttpMethod.HEAD), web.file("index.html"));
        router.http("/switchboard.js", Set.of(HttpMethod.GET, HttpMethod.HEAD), web.file("switchboard.js"));
        if (config.staticDir() != null) {
            StaticFiles.register(router, config.staticDir());
        }
        Set<HttpMethod> get = Set.of(HttpMethod.GET);
        router.http("/sse", get, SseEndpoint.channels(hub, config, access));
        router.http("/events", get, SseEndpoint.feed(hub, config, access, PriceTicker.CHANNEL, PriceTicker.EVENT));
        router.http("/poll", get, new PollEndpoint(hub, config, access, heldPolls));
        router.http("/api/notifications/poll", get, new NotificationsEndpoint(hub, config, access, heldPolls));
        router.http("/api/notifications", Set.of(HttpMethod.POST), PublishEndpoint.toChannel(hub, NotificationsEndpoint.CHANNEL, config.apiKey(), origins));
        router.http("/api/publish", Set.of(HttpMethod.POST), PublishEndpoint.api(hub, config.apiKey(), origins));
        if (config.metrics()) {
            ServerMetrics metrics = new ServerMetrics(hub, new ServerMetrics.Source() {
                @Override public int webSocketConnections() { return webSockets.size(); }
                @Override public int httpConnections() { return httpConnections.size(); }
                @Override public long handshakesAccepted() { return upgrade.acceptedCount(); }
                @Override public long handshakesRejected() { return upgrade.rejectedCount(); }
            }, config.metricsKey());
            router.http("/metrics", Set.of(HttpMethod.GET, HttpMethod.HEAD), metrics);
            onClose(metrics);
        }
        if (config.demo()) {
            onClose(PriceTicker.start(hub, workerGroup.next(), config.tickerInterval()));
        }

        Class<? extends ServerChannel> channelClass = transport.serverChannelClass();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(bossGroup, workerGroup)
                .channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                // TCP_NODELAY: Netty's socket channels already enable it (one setsockopt per connection, not two).
                // One read-size predictor for every connection (each still adapts its own reads), not one object per connection.
                .childOption(ChannelOption.RECVBUF_ALLOCATOR, READ_SIZES)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.writeBufferLowWater(), config.writeBufferHighWater()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        httpConnections.add(ch); // counted (and admitted below) until it closes
                        ChannelHandler refusal = connectionLimits.admit(ch);
                        ChannelPipeline p = ch.pipeline();
                        if (ssl != null) {
                            p.addLast("tls", ssl.newHandler(ch.alloc()));
                        }
                        HttpPipeline.addTo(p, config.handshakeTimeout(), config.bodyTimeout(), config.maxHttpBody(), router, refusal);
                    }
                });
        serverChannel = bootstrap.bind(config.host(), config.port()).sync().channel();
        log.debug("listening on {} with {}", serverChannel.localAddress(), transport);
    }

    /** The port actually bound. */
    public int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The channel hub, for in-process publishing. */
    public Hub hub() {
        return hub;
    }

    /** The configuration the server runs with. */
    public ServerConfig config() {
        return config;
    }

    /** Open WebSocket connections on this node. */
    public int webSocketCount() {
        return webSockets.size();
    }

    /** Open TCP connections on this node, of every kind. */
    public int connectionCount() {
        return httpConnections.size() + webSockets.size();
    }

    /** Long polls held open right now, waiting for messages. */
    public int heldPollCount() {
        return heldPolls.count();
    }

    /** The transport the event loops use (never {@link Transport#AUTO}). */
    public Transport transport() {
        return transport;
    }

    /** Something to close on shutdown, before the event loops stop (a demo ticker, a broker). */
    public void onClose(AutoCloseable service) {
        services.add(service);
    }

    /** Graceful shutdown: close 1001 to every client, drain within the configured grace, stop. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long graceMillis = config.shutdownGrace().toMillis();
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(graceMillis);
        }
        // Held polls get their answer (what they have) rather than a cut connection.
        heldPolls.releaseAll();
        for (Channel channel : webSockets) {
            WebSocketProtocolHandler webSocket = channel.pipeline().get(WebSocketProtocolHandler.class);
            if (webSocket != null) {
                webSocket.close(CloseCode.GOING_AWAY, "server shutting down");
            }
        }
        // WebSocket clients answer the 1001 and the server then closes TCP; the rest (SSE, polls) just close.
        webSockets.newCloseFuture().awaitUninterruptibly(graceMillis);
        webSockets.close().awaitUninterruptibly(graceMillis);
        httpConnections.close().awaitUninterruptibly(graceMillis);
        for (AutoCloseable service : services) {
            try {
                service.close();
            } catch (Exception e) {
                log.warn("error closing {}", service, e);
            }
        }
        hub.close();
        workerGroup.shutdownGracefully(0, graceMillis, TimeUnit.MILLISECONDS).awaitUninterruptibly(graceMillis + 1000);
        bossGroup.shutdownGracefully(0, graceMillis, TimeUnit.MILLISECONDS).awaitUninterruptibly(graceMillis + 1000);
    }
}
