package io.switchboard.websocket;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Memory for partly received messages, shared by every connection of an endpoint (or a server): a
 * fragmented message, or one large frame still arriving, holds its bytes here until it is complete.
 * When the budget is spent, the connection whose message would exceed it is closed with 1013 (try
 * again later), so many slow senders cannot add up to more memory than the server has.
 */
public final class MessageBudget {

    /** No shared limit (each message is still bounded by its connection's maximum message size). */
    public static final MessageBudget UNLIMITED = new MessageBudget(Long.MAX_VALUE);

    private final long maxBytes;
    private final AtomicLong held = new AtomicLong();

    /** A budget of {@code maxBytes} for all partly received messages together. */
    public MessageBudget(long maxBytes) {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes must be positive");
        }
        this.maxBytes = maxBytes;
    }

    /** Takes {@code bytes} from the budget; false (taking nothing) when that would exceed it. */
    boolean reserve(long bytes) {
        if (held.addAndGet(bytes) > maxBytes) {
            held.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    /** Gives back {@code bytes} taken with {@link #reserve}. */
    void release(long bytes) {
        held.addAndGet(-bytes);
    }
}
