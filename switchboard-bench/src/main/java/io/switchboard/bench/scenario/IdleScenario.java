package io.switchboard.bench.scenario;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.bench.load.LoadGenerator;
import io.switchboard.bench.load.ServerProcess;
import io.switchboard.bench.peer.Peer;
import io.switchboard.websocket.WebSocket;
import io.switchboard.websocket.WebSocketListener;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code idle}, {@code idle-ws}, {@code idle-sse}: hold growing numbers of idle connections on one
 * endpoint and read what each costs the server, started as a user starts it (no pre-touched heap):
 * RSS growth per connection ({@code VmRSS} against the reading taken after a warm-up round of
 * connections has been opened and closed, before the first level) and, for a JVM, live heap after
 * a full GC per connection. RSS is read before the full GC that the heap reading forces, so it is
 * what the server holds as it runs. A connection counts once the server has answered it: the
 * chat's welcome, the {@code /ws} subscribe reply, the SSE stream's first bytes.
 */
public final class IdleScenario implements Scenario {

    /** Where the idle connections are held. */
    public enum Endpoint {
        /** The lesson's chat WebSocket, every peer serves it. */
        CHAT("idle", "/chat"),
        /**
         * The client protocol's WebSocket, each subscribed to a channel of its own, as a client to its
         * {@code user:42} (Switchboard only). A channel shared by all would measure the presence pushes
         * of every join to every member, a fan-out of connections squared rather than idle memory.
         */
        WS("idle-ws", "/ws"),
        /** An EventSource-like stream of one channel (Switchboard only). */
        SSE("idle-sse", "/sse?channel=" + FanoutScenario.CHANNEL);

        final String scenario;
        final String path;

        Endpoint(String scenario, String path) {
            this.scenario = scenario;
            this.path = path;
        }
    }

    /** Connections opened and closed before the baseline reading (at most the first level). */
    static final int WARMUP_CONNECTIONS = 5_000;

    /** Time for the server to settle after the last connection of a level opened. */
    private static final Duration SETTLE = Duration.ofSeconds(2);

    private final Endpoint endpoint;
    /** Numbers the {@code /ws} connections' channels. */
    private int connections;

    /** Idle connections on {@code endpoint}. */
    public IdleScenario(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    @Override
    public String name() {
        return endpoint.scenario;
    }

    @Override
    public String description() {
        return "idle connections on " + endpoint.path + " held open: server RSS growth and live heap per connection";
    }

    @Override
    public boolean supports(String peer) {
        return endpoint == Endpoint.CHAT || peer.startsWith("switchboard");
    }

    @Override
    public List<Result> run(Peer peer, int port, BenchOptions options, Progress progress) throws Exception {
        ServerProcess server = new ServerProcess(peer.pid());
        List<Result> results = new ArrayList<>();
        List<Channel> held = new ArrayList<>();
        try (LoadGenerator generator = new LoadGenerator(port, options.generatorThreads)) {
            // A round of connections opened and closed first: the baseline then includes what a running server has
            // loaded, compiled and pooled for its first connections, and the levels measure what each one adds.
            int warmup = Math.min(WARMUP_CONNECTIONS, options.idleLevels.get(0));
            progress.phase(String.format(Locale.ROOT, "%s %s warm-up, %,d connections opened and closed", name(), peer.name(), warmup),
                    Duration.ofMillis(Math.max(1000, warmup / 5L)), () -> "");
            closeAll(open(generator, warmup));
            progress.endPhase();
            progress.phase(name() + " " + peer.name() + " baseline", SETTLE, () -> "");
            Thread.sleep(SETTLE.toMillis());
            long rssBefore = server.rssBytes();
            long heapBefore = peer.isJvm() ? server.liveHeapBytes(histogram(peer, "baseline")) : -1;
            progress.endPhase();
            try {
                for (int level : options.idleLevels) {
                    int more = level - held.size();
                    progress.phase(String.format(Locale.ROOT, "%s %s %,d connections", name(), peer.name(), level),
                            Duration.ofMillis(Math.max(1000, more / 5L)), () -> "");
                    held.addAll(open(generator, more));
                    Thread.sleep(SETTLE.toMillis());
                    long rss = server.rssBytes();
                    long heap = peer.isJvm() ? server.liveHeapBytes(histogram(peer, Integer.toString(level))) : -1;
                    progress.endPhase();
                    long open = held.stream().filter(Channel::isActive).count();
                    double rssPerConnection = (rss - rssBefore) / 1024.0 / level;
                    double heapPerConnection = heap < 0 || heapBefore < 0 ? Double.NaN : (heap - heapBefore) / 1024.0 / level;
                    results.add(Result.of(name(), peer.name(), String.format(Locale.ROOT, "%,d connections", level), null)
                            .put("connections", level)
                            .put("open", open)
                            .put("RSS growth/conn (KiB)", rssPerConnection)
                            .put("live heap/conn (KiB)", heapPerConnection)
                            .put("server RSS (MiB)", rss / 1024.0 / 1024.0));
                }
            } finally {
                closeAll(held);
            }
        }
        return results;
    }

    /**
     * Where the class histogram behind a live-heap reading is kept: in the directory named by
     * {@code SWITCHBOARD_BENCH_HISTOGRAMS}, to see which objects a connection keeps; null when unset.
     */
    private Path histogram(Peer peer, String level) throws IOException {
        String dir = System.getenv("SWITCHBOARD_BENCH_HISTOGRAMS");
        if (dir == null || dir.isBlank()) {
            return null;
        }
        Files.createDirectories(Path.of(dir));
        return Path.of(dir, name() + "-" + peer.name() + "-" + level + ".txt");
    }

    /** Opens {@code count} connections and returns once the server has answered every one. */
    private List<Channel> open(LoadGenerator generator, int count) throws Exception {
        List<CompletableFuture<Channel>> answered = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            answered.add(connect(generator));
        }
        try {
            CompletableFuture.allOf(answered.toArray(CompletableFuture[]::new)).get(Math.max(60, count / 100), TimeUnit.SECONDS);
        } catch (Exception e) {
            closeAll(answered.stream().filter(f -> f.isDone() && !f.isCompletedExceptionally()).map(CompletableFuture::join).toList());
            throw e;
        }
        return answered.stream().map(CompletableFuture::join).toList();
    }

    private CompletableFuture<Channel> connect(LoadGenerator generator) {
        CompletableFuture<Channel> answered = new CompletableFuture<>();
        if (endpoint == Endpoint.SSE) {
            return generator.http(null, new HttpClientCodec(), new SimpleChannelInboundHandler<HttpObject>() {
                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, endpoint.path);
                    request.headers().set(HttpHeaderNames.HOST, "127.0.0.1").set(HttpHeaderNames.ACCEPT, "text/event-stream");
                    ctx.writeAndFlush(request);
                }

                @Override
                protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
                    if (msg instanceof HttpResponse response && response.status().code() != 200) {
                        answered.completeExceptionally(new IllegalStateException(endpoint.path + " answered " + response.status()));
                        ctx.close();
                    } else if (msg instanceof HttpContent content && content.content().isReadable()) {
                        answered.complete(ctx.channel()); // the stream's first bytes (retry:)
                    }
                }
            }).thenCompose(channel -> answered);
        }
        String channel = "idle:" + connections++;
        generator.webSocket(endpoint.path, new WebSocketListener() {
            @Override
            public void onOpen(WebSocket webSocket) {
                if (endpoint == Endpoint.WS) {
                    webSocket.sendText("{\"id\":1,\"subscribe\":{\"channel\":\"" + channel + "\"}}");
                }
            }

            @Override
            public void onText(WebSocket webSocket, ByteBuf utf8) {
                // /chat: the welcome; /ws: the connect push first, then the reply to the subscribe (id 1)
                String text = endpoint == Endpoint.CHAT ? "" : utf8.toString(StandardCharsets.UTF_8);
                if (text.contains("\"error\"")) {
                    answered.completeExceptionally(new IllegalStateException(endpoint.path + " answered " + text));
                } else if (endpoint == Endpoint.CHAT || text.contains("\"id\":1")) {
                    answered.complete(webSocket.channel());
                }
            }
        }, null).whenComplete((webSocket, failure) -> {
            if (failure != null) {
                answered.completeExceptionally(failure);
            }
        });
        return answered;
    }

    private static void closeAll(List<Channel> channels) {
        channels.forEach(Channel::close);
        channels.forEach(c -> c.closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS));
    }
}
