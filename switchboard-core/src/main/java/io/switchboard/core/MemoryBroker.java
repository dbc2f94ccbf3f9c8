package io.switchboard.core;

import java.security.SecureRandom;
import java.time.Clock;
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
 * A single-node {@link Broker} in memory: per-channel offsets, a bounded history (at most
 * {@link HubConfig#historySize()} messages, none older than {@link HubConfig#historyTtl()}) and
 * presence. Its epoch is a random id chosen at construction, so a restarted node tells clients
 * holding old cursors that their history is gone. Every operation completes before it returns.
 */
public final class MemoryBroker implements Broker {

    private static final char[] EPOCH_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final String epoch;
    private final int historySize;
    private final long historyTtlMillis;
    private final Clock clock;
    private final ConcurrentHashMap<String, Stream> streams = new ConcurrentHashMap<>();
    private volatile Listener listener;
    private volatile boolean closed;

    /** A broker keeping history as {@code config} says, on the system clock. */
    public MemoryBroker(HubConfig config) {
        this(config, Clock.systemUTC());
    }

    /** A broker keeping history as {@code config} says, timing history expiry with {@code clock}. */
    public MemoryBroker(HubConfig config, Clock clock) {
        this.historySize = Math.max(0, config.historySize());
        this.historyTtlMillis = config.historyTtl().toMillis();
        this.clock = Objects.requireNonNull(clock, "clock");
        this.epoch = newEpoch();
    }

    /** This broker's epoch, shared by all its channels. */
    public String epoch() {
        return epoch;
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
    public CompletionStage<Message> publish(String channel, String data, String origin) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("broker is closed"));
        }
        Stream stream = streams.computeIfAbsent(channel, c -> new Stream());
        Message message;
        synchronized (stream) {
            long now = clock.millis();
            message = new Message(channel, stream.top + 1, epoch, data, now, origin);
            stream.top = message.offset();
            if (historySize > 0) {
                stream.history.addLast(message);
                if (stream.history.size() > historySize) {
                    stream.history.removeFirst();
                }
            }
            stream.expire(now - historyTtlMillis);
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
            boolean complete = since == null || (since.offset() == 0 && epoch.equals(since.epoch()));
            return CompletableFuture.completedFuture(new HistoryResult(List.of(), new StreamPosition(0, epoch), complete));
        }
        synchronized (stream) {
            stream.expire(clock.millis() - historyTtlMillis);
            long top = stream.top;
            // The oldest offset a reader can still get; everything before it is gone.
            long firstKept = stream.history.isEmpty() ? top + 1 : stream.history.peekFirst().offset();
            long after;
            boolean complete;
            if (since == null) {
                after = 0;
                complete = firstKept == 1;
            } else {
                after = since.offset();
                complete = epoch.equals(since.epoch()) && after >= firstKept - 1 && after <= top;
            }
            List<Message> messages = new ArrayList<>(Math.min(limit, stream.history.size()));
            if (complete || since == null) {
                for (Message m : stream.history) {
                    if (messages.size() >= limit) {
                        break;
                    }
                    if (m.offset() > after) {
                        messages.add(m);
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
            if (stream.presence.put(client.clientId(), client) == null) {
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
                ClientInfo removed = stream.presence.remove(client.clientId());
                Listener l = listener;
                if (removed != null && l != null && !closed) {
                    l.onLeave(channel, removed);
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
            return CompletableFuture.completedFuture(List.copyOf(stream.presence.values()));
        }
    }

    @Override
    public void close() {
        closed = true;
    }

    private static String newEpoch() {
        SecureRandom random = new SecureRandom();
        char[] id = new char[8];
        for (int i = 0; i < id.length; i++) {
            id[i] = EPOCH_ALPHABET[random.nextInt(EPOCH_ALPHABET.length)];
        }
        return new String(id);
    }

    /** One channel: its last offset, kept history and presence; guarded by its own monitor. */
    private static final class Stream {
        long top;
        final ArrayDeque<Message> history = new ArrayDeque<>();
        final LinkedHashMap<String, ClientInfo> presence = new LinkedHashMap<>();

        void expire(long oldestAllowedTime) {
            Iterator<Message> it = history.iterator();
            while (it.hasNext() && it.next().time() < oldestAllowedTime) {
                it.remove();
            }
        }
    }
}
