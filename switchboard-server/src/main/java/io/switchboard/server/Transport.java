package io.switchboard.server;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

import java.util.Locale;

/**
 * The I/O mechanism under the event loops. {@link #AUTO} takes epoll where Netty's native epoll
 * is available, else Java NIO. {@link #IO_URING} is there to choose: it submits the reads and
 * writes of one event-loop pass in one system call (about half the system calls per small echo,
 * measured in docs/bench/echo-profile.md), but on loopback the kernel's TCP work per message
 * dominates and it was no faster there, so it is not the default.
 */
public enum Transport {
    AUTO, IO_URING, EPOLL, NIO;

    /** This transport, or for {@link #AUTO} the best available one; fails if an explicit choice is unavailable here. */
    public Transport resolve() {
        return switch (this) {
            case AUTO -> Epoll.isAvailable() ? EPOLL : NIO;
            case IO_URING -> {
                if (!IoUring.isAvailable()) {
                    throw new IllegalStateException("io_uring is not available here: " + IoUring.unavailabilityCause());
                }
                yield this;
            }
            case EPOLL -> {
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("epoll is not available here: " + Epoll.unavailabilityCause());
                }
                yield this;
            }
            case NIO -> this;
        };
    }

    IoHandlerFactory ioHandlerFactory() {
        return switch (resolve()) {
            case IO_URING -> IoUringIoHandler.newFactory();
            case EPOLL -> EpollIoHandler.newFactory();
            default -> NioIoHandler.newFactory();
        };
    }

    Class<? extends ServerChannel> serverChannelClass() {
        return switch (resolve()) {
            case IO_URING -> IoUringServerSocketChannel.class;
            case EPOLL -> EpollServerSocketChannel.class;
            default -> NioServerSocketChannel.class;
        };
    }

    /** The name used on the command line and in logs: auto, io_uring, epoll or nio. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a {@link #label()} (case-insensitive; "io-uring" is accepted too). */
    public static Transport parse(String label) {
        String key = label.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return valueOf(key);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown transport '" + label + "': use auto, io_uring, epoll or nio", e);
        }
    }
}
