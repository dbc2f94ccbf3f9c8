package io.switchboard.server.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.core.ErrorCode;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;

/**
 * Caps on open connections, over the whole server and per client address, so that no one client
 * and no flood can take every file descriptor: a connection over a cap is answered at its first
 * request ({@code 503} over the global cap, {@code 429} over the per-address cap, with a JSON
 * error) and closed. Admitted connections cost nothing beyond the server's own count of them, and nothing per message.
 */
public final class ConnectionLimits {

    /** File descriptors kept free beside connections for the JVM, logs, config and broker sockets. */
    static final int RESERVED_DESCRIPTORS = 256;

    private final int max;
    private final int maxPerAddress;
    /**
     * The server's open connections, the one being admitted included: counted where the server
     * tracks them anyway, so admitting one adds no close listener (an object per connection) here.
     */
    private final IntSupplier open;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();
    private final ChannelHandler overServer;
    private final ChannelHandler overAddress;

    /**
     * @param max           most connections open at once; 0: this process's file descriptor limit less a reserve
     * @param maxPerAddress most connections from one client address; 0: no per-address cap
     * @param open          how many connections are open, the one {@link #admit} is called for included
     */
    public ConnectionLimits(int max, int maxPerAddress, IntSupplier open) {
        this.max = max > 0 ? max : defaultMax();
        this.maxPerAddress = maxPerAddress;
        this.open = open;
        this.overServer = new Refuse(ErrorCode.SERVER_FULL,
                "the server holds the most connections it may (" + this.max + "); retry later");
        this.overAddress = new Refuse(ErrorCode.TOO_MANY_CONNECTIONS,
                "this address holds the most connections it may (" + maxPerAddress + ")");
    }

    /** The cap on all connections in force. */
    public int max() {
        return max;
    }

    /**
     * Checks {@code channel}, already counted among the open connections, against the caps. Returns
     * null when it is within them, otherwise the handler that answers its first request with the
     * refusal (the caller puts it in place of routing).
     */
    public ChannelHandler admit(Channel channel) {
        if (open.getAsInt() > max) {
            return overServer;
        }
        if (maxPerAddress > 0 && channel.remoteAddress() instanceof InetSocketAddress remote) {
            InetAddress address = remote.getAddress();
            AtomicInteger count = perAddress.compute(address, (a, c) -> {
                AtomicInteger counter = c == null ? new AtomicInteger() : c;
                counter.incrementAndGet();
                return counter;
            });
            channel.closeFuture().addListener(closed -> perAddress.computeIfPresent(address,
                    (a, c) -> c.decrementAndGet() == 0 ? null : c));
            if (count.get() > maxPerAddress) {
                return overAddress;
            }
        }
        return null;
    }

    private static int defaultMax() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            long descriptors = unix.getMaxFileDescriptorCount();
            return (int) Math.max(RESERVED_DESCRIPTORS, Math.min(Integer.MAX_VALUE, descriptors - RESERVED_DESCRIPTORS));
        }
        return 100_000;
    }

    /** Answers the first request of a connection over a cap, then closes it; drops everything else. */
    @ChannelHandler.Sharable
    private static final class Refuse extends ChannelInboundHandlerAdapter {

        private final ErrorCode code;
        private final String message;

        Refuse(ErrorCode code, String message) {
            this.code = code;
            this.message = message;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            boolean request = msg instanceof HttpRequest;
            ReferenceCountUtil.release(msg);
            if (request && ctx.channel().isActive()) {
                FullHttpResponse response = HttpResponses.errorResponse(ctx, code, message);
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE).set(HttpHeaderNames.RETRY_AFTER, "5");
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
