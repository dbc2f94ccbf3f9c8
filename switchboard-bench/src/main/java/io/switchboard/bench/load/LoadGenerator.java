package io.switchboard.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.switchboard.websocket.WebSocket;
import io.switchboard.websocket.WebSocketListener;
import io.switchboard.websocket.WebSocketProtocolHandler;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The load generator: one Netty client (epoll when available) that opens WebSocket, SSE and
 * long-poll connections to a server on 127.0.0.1. Connections are spread over several loopback
 * source addresses (127.0.0.1, 127.0.0.2, ...) so one process can hold more connections than one
 * address's ephemeral port range allows.
 */
public final class LoadGenerator implements AutoCloseable {

    /** Loopback source addresses connections are spread over. */
    public static final int SOURCE_ADDRESSES = 8;
    /** Largest message the generator accepts from a server. */
    private static final int MAX_MESSAGE = 16 * 1024 * 1024;

    private final EventLoopGroup group;
    private final Class<? extends SocketChannel> channelClass;
    private final int port;
    private final AtomicInteger nextSource = new AtomicInteger();
    /** Bounds connects in flight so a burst of thousands does not overflow the server's accept queue. */
    private final Semaphore connecting = new Semaphore(256);
    private final CpuMeter cpu = new CpuMeter();

    /**
     * Settles Netty's settings for a JVM that runs the generator: no leak tracking and no
     * per-access buffer checks, so the generator's own cost per message stays small beside the
     * server's. Call before the first buffer is allocated; a setting given with {@code -D} wins.
     */
    public static void configureJvm() {
        setIfAbsent("io.netty.leakDetection.level", "disabled");
        setIfAbsent("io.netty.buffer.checkAccessible", "false");
        setIfAbsent("io.netty.buffer.checkBounds", "false");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** A generator with {@code threads} event loops aimed at 127.0.0.1:{@code port}. */
    public LoadGenerator(int port, int threads) {
        this.port = port;
        boolean epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.channelClass = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** The port connections go to unless another is given. */
    public int port() {
        return port;
    }

    /** The generator's own CPU use, to tell a run the generator limited from one the server did. */
    public CpuMeter cpu() {
        return cpu;
    }

    /**
     * Opens a WebSocket to {@code path}; the future completes with the open connection after
     * {@code listener.onOpen}. {@code counter} (or null) counts the connection's bytes.
     */
    public CompletableFuture<WebSocket> webSocket(String path, WebSocketListener listener, ByteCounter counter) {
        return webSocket(port, path, listener, counter);
    }

    /** As {@link #webSocket(String, WebSocketListener, ByteCounter)}, to another node's {@code port} on 127.0.0.1. */
    public CompletableFuture<WebSocket> webSocket(int port, String path, WebSocketListener listener, ByteCounter counter) {
        CompletableFuture<Void> opened = new CompletableFuture<>();
        WebSocketProtocolHandler webSocket = new WebSocketProtocolHandler(false, MAX_MESSAGE, null, listener);
        WebSocketClientHandshake handshake = new WebSocketClientHandshake("127.0.0.1:" + port, path, webSocket, opened);
        return connect(port, false, counter, handshake, webSocket)
                .thenCompose(channel -> opened.whenComplete((done, failure) -> connecting.release()))
                .thenApply(done -> (WebSocket) webSocket);
    }

    /**
     * Opens a plain TCP connection with {@code handlers} (HTTP codecs and a client for SSE or
     * polling) behind the optional byte counter; completes once connected.
     */
    public CompletableFuture<Channel> http(ByteCounter counter, ChannelHandler... handlers) {
        return http(port, counter, handlers);
    }

    /** As {@link #http(ByteCounter, ChannelHandler...)}, to another node's {@code port} on 127.0.0.1. */
    public CompletableFuture<Channel> http(int port, ByteCounter counter, ChannelHandler... handlers) {
        return connect(port, true, counter, handlers);
    }

    /** Connects; the connect permit is given back once connected ({@code releaseOnConnect}) or by the caller after its handshake. */
    private CompletableFuture<Channel> connect(int port, boolean releaseOnConnect, ByteCounter counter, ChannelHandler... handlers) {
        CompletableFuture<Channel> connected = new CompletableFuture<>();
        try {
            if (!connecting.tryAcquire(30, TimeUnit.SECONDS)) {
                connected.completeExceptionally(new IllegalStateException("connects stalled"));
                return connected;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connected.completeExceptionally(e);
            return connected;
        }
        Bootstrap bootstrap = new Bootstrap().group(group).channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (counter != null) {
                            ch.pipeline().addLast(counter);
                        }
                        ch.pipeline().addLast(handlers);
                    }
                });
        InetSocketAddress source = new InetSocketAddress("127.0.0." + (1 + Math.floorMod(nextSource.getAndIncrement(), SOURCE_ADDRESSES)), 0);
        ChannelFuture future = bootstrap.connect(new InetSocketAddress("127.0.0.1", port), source);
        future.addListener(f -> {
            if (releaseOnConnect || !f.isSuccess()) {
                connecting.release();
            }
            if (f.isSuccess()) {
                connected.complete(future.channel());
            } else {
                connected.completeExceptionally(f.cause());
            }
        });
        return connected;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
