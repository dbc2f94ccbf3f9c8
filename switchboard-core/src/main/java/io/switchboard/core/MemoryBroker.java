package io.switchboard.core;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A single-node {@link Broker} in memory: per-channel offsets, a bounded history (as each
 * publication's {@link PublishOptions} say) and presence whose entries expire after
 * {@link #presenceTtl()} unless re-added. Its epoch is a random id chosen at construction, shared
 * by all its channels, so a restarted node tells clients holding old cursors that their history is
 * gone. Every operation completes before it returns.
 */
public final class MemoryBroker implements Broker {

    private static final char[] EPOCH_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final String epoch;
    private final Duration presenceTtl;
    private final Clock clock;
    private final ConcurrentHashMap<String, Stream> streams = new ConcurrentHashMap<>();
    private volatile Listener listener;
    private volatile boolean closed;

    /**
     * A broker for a hub configured with {@code config}, on the system clock. History limits come
     * with each publication ({@link PublishOptions#of(HubConfig)}); presence entries live
     * {@link Broker#DEFAULT_PRESENCE_TTL} unless re-added.
     */
    public MemoryBroker(HubConfig config) {
        this(DEFAULT_PRESENCE_TTL, Clock.systemUTC());
        Objects.requireNonNull(config, "config");
    }

    /** A broker whose presence entries live {@code presenceTtl} unless re-added, timing expiry with {@code clock}. */
    public MemoryBroker(Duration presenceTtl, Clock clock) {
        Objects.requireNonNull(presenceTtl, "presenceTtl");
        if (presenceTtl.isNegative() || presenceTtl.isZero()) {
            throw new IllegalArgumentException("presenceTtl must be positive");
        }
        this.presenceTtl = presenceTtl;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.epoch = newEpoch();
    }

    /** This broker's epoch, shared by all its channels. */
    public String epoch() {
        return epoch;
    }

    @Override
    public Duration presenceTtl() {
        return presenceTtl;
    }

    @Override
    public void listen(Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Nothing to do: every publication reaches the listener. */
    @Override
    public CompletionStage<Void> subscribe(String channel) {
        return DONE;
    }

    /** Nothing to do: the hub ignores publications of channels it has no subscribers on. */
    @Override
    public CompletionStage<Void> unsubscribe(String channel) {
        return DONE;
    }

    @Override
    public CompletionStage<Message> publish(String channel, String data, String origin, PublishOptions options) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("broker is closed"));
        }
        Stream stream = streams.computeIfAbsent(channel, c -> new Stream());
        Message message;
        synchronized (stream) {
            long now = clock.millis();
            message = new Message(channel, stream.top + 1, epoch, data, now, origin);
            stream.top = message.offset();
            if (options.historySize() > 0) {
                stream.history.addLast(new Kept(message, now + options.historyTtl().toMillis()));
            }
            while (stream.history.size() > options.historySize()) {
                stream.history.removeFirst();
            }
            stream.expire(now);
            // Under the lock so that the listener sees each channel's messages in offset order.
            Listener l = listener;
            if (l != null && !closed) {
                l.onPublication(message);
            }
        }
        return CompletableFuture.completedFuture(message);
    }

    @Override
    public CompletionStage<HistoryResult> history(String channel, StreamPosition since, int limit) {
        if (limit < 0) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("limit must be 0 or more"));
        }
        Stream stream = streams.get(channel);
        if (stream == null) {
            boolean complete = since == null || since.offset() == 0;
            return CompletableFuture.completedFuture(new HistoryResult(List.of(), new StreamPosition(0, epoch), complete));
        }
        synchronized (stream) {
            stream.expire(clock.millis());
            long top = stream.top;
            // The oldest offset a reader can still get; everything before it is gone.
            long firstKept = stream.history.isEmpty() ? top + 1 : stream.history.peekFirst().message.offset();
            long after = since == null ? 0 : since.offset();
            boolean complete;
            if (after == 0) {
                // Nothing seen yet, in whatever epoch: complete while the first message is kept.
                complete = firstKept == 1;
            } else {
                complete = epoch.equals(since.epoch()) && after >= firstKept - 1 && after <= top;
            }
            List<Message> messages = new ArrayList<>(Math.min(limit, stream.history.size()));
            if (complete || since == null) {
                for (Kept k : stream.history) {
                    if (messages.size() >= limit) {
                        break;
                    }
                    if (k.message.offset() > after) {
                        messages.add(k.message);
                    }
                }
            }
            return CompletableFuture.completedFuture(new HistoryResult(List.copyOf(messages), new StreamPosition(top, epoch), complete));
        }
    }

    @Override
    public CompletionStage<Void> addPresence(String channel, ClientInfo client) {
        Stream stream = streams.computeIfAbsent(channel, c -> new Stream());
        synchronized (stream) {
            long now = clock.millis();
            expirePresence(channel, stream, now);
            Present previous = stream.presence.put(client.clientId(), new Present(client, now + presenceTtl.toMillis()));
            if (previous == null) {
                Listener l = listener;
                if (l != null && !closed) {
                    l.onJoin(channel, client);
                }
            }
        }
        return DONE;
    }

    @Override
    public CompletionStage<Void> removePresence(String channel, ClientInfo client) {
        Stream stream = streams.get(channel);
        if (stream != null) {
            synchronized (stream) {
                expirePresence(channel, stream, clock.millis());
                Present removed = stream.presence.remove(client.clientId());
                if (removed != null) {
                    left(channel, removed.client);
                }
            }
        }
        return DONE;
    }

    @Override
    public CompletionStage<List<ClientInfo>> presence(String channel) {
        Stream stream = streams.get(channel);
        if (stream == null) {
            return CompletableFuture.completedFuture(List.of());
        }
        synchronized (stream) {
            expirePresence(channel, stream, clock.millis());
            List<ClientInfo> clients = new ArrayList<>(stream.presence.size());
            for (Present p : stream.presence.values()) {
                clients.add(p.client);
            }
            return CompletableFuture.completedFuture(List.copyOf(clients));
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    /** Drops presence entries not re-added in time, telling the listener each one left. Caller holds the stream. */
    private void expirePresence(String channel, Stream stream, long now) {
        Iterator<Present> it = stream.presence.values().iterator();
        while (it.hasNext()) {
            Present p = it.next();
            if (p.expiresAt <= now) {
                it.remove();
                left(channel, p.client);
            }
        }
    }

    private void left(String channel, ClientInfo client) {
        Listener l = listener;
        if (l != null && !closed) {
            l.onLeave(channel, client);
        }
    }

    private static String newEpoch() {
        SecureRandom random = new SecureRandom();
        char[] id = new char[8];
        for (int i = 0; i < id.length; i++) {
            id[i] = EPOCH_ALPHABET[random.nextInt(EPOCH_ALPHABET.length)];
        }
        return new String(id);
    }

    /** A message in history and when it leaves it (its publication's history TTL). */
    private record Kept(Message message, long expiresAt) {
    }

    /** A presence entry and when it expires unless re-added. */
    private record Present(ClientInfo client, long expiresAt) {
    }

    /** One channel: its last offset, kept history and presence; guarded by its own monitor. */
    private static final class Stream {
        long top;
        final ArrayDeque<Kept> history = new ArrayDeque<>();
        final LinkedHashMap<String, Present> presence = new LinkedHashMap<>();

        void expire(long now) {
            Iterator<Kept> it = history.iterator();
            while (it.hasNext() && it.next().expiresAt <= now) {
                it.remove();
            }
        }
    }
}
