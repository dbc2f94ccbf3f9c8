package io.switchboard.bench.peer.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelMatchers;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.switchboard.bench.peer.LessonChat;

import java.nio.charset.StandardCharsets;

import static io.netty.handler.codec.http.HttpVersion.HTTP_1_1;

/**
 * The plain-Netty peer: ws /echo and the lesson's ws /chat on Netty's built-in WebSocket codec,
 * put together the way Netty's own WebSocket server example does (HTTP codec, aggregator,
 * compression handler, {@link WebSocketServerProtocolHandler}, an application frame handler),
 * epoll when available. Run with the port as the only argument.
 */
public final class NettyServer {

    /** Largest accepted frame and message, as Switchboard's default. */
    static final int MAX_MESSAGE = 1 << 20;

    private NettyServer() {
    }

    /** Serves on 127.0.0.1:{@code args[0]} until killed. */
    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, io);
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(io);
        Class<? extends ServerChannel> channel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ChatHandler chat = new ChatHandler();
        try {
            Channel server = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(channel)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(
                                    new HttpServerCodec(),
                                    new HttpObjectAggregator(65536),
                                    new WebSocketServerCompressionHandler(MAX_MESSAGE),
                                    new PathRouter(chat));
                        }
                    })
                    .bind("127.0.0.1", port).sync().channel();
            System.out.println("netty peer listening on 127.0.0.1:" + port + (epoll ? " (epoll)" : " (nio)"));
            server.closeFuture().sync();
        } finally {
            boss.shutdownGracefully();
            workers.shutdownGracefully();
        }
    }

    /** Sends an upgrade for /echo or /chat on to a protocol handler for that path and the path's frame handler; 404 for others. */
    static final class PathRouter extends ChannelInboundHandlerAdapter {
        private final ChatHandler chat;

        PathRouter(ChatHandler chat) {
            this.chat = chat;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof FullHttpRequest request)) {
                ctx.fireChannelRead(msg);
                return;
            }
            String path = new QueryStringDecoder(request.uri()).path();
            ChannelHandler app = switch (path) {
                case "/echo" -> EchoHandler.INSTANCE;
                case "/chat" -> chat;
                default -> null;
            };
            if (app == null) {
                request.release();
                FullHttpResponse response = new DefaultFullHttpResponse(HTTP_1_1, HttpResponseStatus.NOT_FOUND,
                        Unpooled.copiedBuffer("not found\n", StandardCharsets.UTF_8));
                response.headers().set(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            WebSocketServerProtocolConfig config = WebSocketServerProtocolConfig.newBuilder()
                    .websocketPath(path)
                    .checkStartsWith(true)
                    .maxFramePayloadLength(MAX_MESSAGE)
                    .build();
            ctx.pipeline().addAfter(ctx.name(), "websocket", new WebSocketServerProtocolHandler(config))
                    .addAfter("websocket", "aggregator", new WebSocketFrameAggregator(MAX_MESSAGE))
                    .addAfter("aggregator", "app", app);
            ctx.fireChannelRead(request);
            ctx.pipeline().remove(this);
        }
    }

    /** ws /echo: every text and binary frame goes back as it came; replies of one read are flushed together. */
    @ChannelHandler.Sharable
    static final class EchoHandler extends ChannelInboundHandlerAdapter {
        static final EchoHandler INSTANCE = new EchoHandler();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
                ctx.write(msg, ctx.voidPromise());
            } else {
                ctx.fireChannelRead(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
            ctx.fireChannelReadComplete();
        }
    }

    /**
     * ws /chat: the lesson's chat. Open clients are a {@link ChannelGroup}; a broadcast writes one
     * frame to the group, which gives every channel a retained duplicate of the same payload.
     */
    @ChannelHandler.Sharable
    static final class ChatHandler extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        private final ChannelGroup clients = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                // Joined before the welcome is written: a client that has its welcome gets every later broadcast.
                clients.add(ctx.channel());
                ctx.writeAndFlush(new TextWebSocketFrame(LessonChat.WELCOME));
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            LessonChat.Reply reply = LessonChat.onMessage(frame.text());
            TextWebSocketFrame out = new TextWebSocketFrame(reply.json());
            switch (reply.audience()) {
                case EVERYONE -> clients.writeAndFlush(out);
                case OTHERS -> clients.writeAndFlush(out, ChannelMatchers.isNot(ctx.channel()));
                case SENDER -> ctx.writeAndFlush(out);
            }
        }
    }
}
