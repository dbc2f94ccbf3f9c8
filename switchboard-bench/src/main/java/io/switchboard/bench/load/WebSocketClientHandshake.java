package io.switchboard.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ByteProcessor;
import io.switchboard.websocket.Handshake;
import io.switchboard.websocket.WebSocketProtocolHandler;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * The client side of the opening handshake: sends the upgrade GET once connected, reads the
 * response head, checks {@code 101} and {@code Sec-WebSocket-Accept}, then leaves the pipeline and
 * opens the {@link WebSocketProtocolHandler} behind it with any bytes that came after the head.
 */
final class WebSocketClientHandshake extends ChannelInboundHandlerAdapter {

    private static final int MAX_HEAD = 8192;

    private final String host;
    private final String path;
    private final String key = Handshake.newClientKey();
    private final WebSocketProtocolHandler webSocket;
    private final CompletableFuture<Void> opened;
    private ByteBuf head;

    WebSocketClientHandshake(String host, String path, WebSocketProtocolHandler webSocket, CompletableFuture<Void> opened) {
        this.host = host;
        this.path = path;
        this.webSocket = webSocket;
        this.opened = opened;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: " + Handshake.VERSION + "\r\n\r\n";
        ctx.writeAndFlush(ByteBufUtil.writeAscii(ctx.alloc(), request));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (head == null) {
            head = ctx.alloc().buffer(512);
        }
        head.writeBytes(in);
        in.release();
        int end = endOfHead(head);
        if (end < 0) {
            if (head.readableBytes() > MAX_HEAD) {
                fail(ctx, "response head over " + MAX_HEAD + " bytes");
            }
            return;
        }
        String text = head.toString(head.readerIndex(), end - head.readerIndex(), StandardCharsets.ISO_8859_1);
        head.readerIndex(end + 4);
        String problem = check(text);
        if (problem != null) {
            fail(ctx, problem);
            return;
        }
        ByteBuf rest = head;
        head = null;
        ctx.pipeline().remove(this);
        if (rest.isReadable()) {
            ctx.fireChannelRead(rest); // frames right behind the head wait in the protocol handler for start()
        } else {
            rest.release();
        }
        webSocket.start();
        opened.complete(null);
    }

    private String check(String text) {
        String[] lines = text.split("\r\n");
        if (!lines[0].startsWith("HTTP/1.1 101")) {
            return "expected 101 Switching Protocols, got '" + lines[0] + "'";
        }
        String expected = Handshake.acceptKey(key);
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("sec-websocket-accept")) {
                return line.substring(colon + 1).trim().equals(expected) ? null : "wrong Sec-WebSocket-Accept";
            }
        }
        return "no Sec-WebSocket-Accept";
    }

    private static int endOfHead(ByteBuf buf) {
        int from = buf.readerIndex();
        while (true) {
            int cr = buf.forEachByte(from, buf.writerIndex() - from, ByteProcessor.FIND_CR);
            if (cr < 0 || cr + 3 >= buf.writerIndex()) {
                return -1;
            }
            if (buf.getByte(cr + 1) == '\n' && buf.getByte(cr + 2) == '\r' && buf.getByte(cr + 3) == '\n') {
                return cr;
            }
            from = cr + 1;
        }
    }

    private void fail(ChannelHandlerContext ctx, String problem) {
        opened.completeExceptionally(new IllegalStateException("handshake with " + path + " failed: " + problem));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        opened.completeExceptionally(new IllegalStateException("connection closed during the handshake with " + path));
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (head != null) {
            head.release();
            head = null;
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        opened.completeExceptionally(cause);
        ctx.close();
    }
}
