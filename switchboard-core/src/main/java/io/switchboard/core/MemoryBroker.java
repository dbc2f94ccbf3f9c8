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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A single-node {@link Broker} in memory: per-channel offsets, a bounded history (as each
 * publication's {@link PublishOptions} say) and presence whose entries expire after
 * {@link #presenceTtl()} unless re-added. Its epoch is a random id chosen at construction, shared
 * by all its channels, so a restarted node tells clients holding old cursors that their history is
 * gone. Every operation completes before it returns.
 *
 * <p>Memory is budgeted: all channels' history together stays within a byte budget (the oldest
 * messages across channels leave first), and a background sweep drops expired messages and forgets
 * channels left with no history, no presence and no subscribers. A forgotten channel that comes back
 * starts a new epoch of its own, so a cursor from before can never be taken for one after.
 */
public final class MemoryBroker implements Broker {

    private static final char[] EPOCH_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final String epoch;
    private final Duration presenceTtl;
    private final Clock clock;
    private final ConcurrentHashMap<String, Stream> streams = new ConcurrentHashMap<>();
    /** All channels' kept messages by publication order, to evict the oldest first when over budget. */
    private final ConcurrentSkipListMap<Long, Kept> kept = new ConcurrentSkipListMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong historyBytes = new AtomicLong();
    private final long historyBudget;
    /** Channels this broker forgot (a Bloom filter: a false "maybe" only costs a fresh epoch). */
    private final ForgottenChannels forgotten = new ForgottenChannels();
    private final ScheduledExecutorService sweeper;
    private volatile Listener listener;
    private volatile boolean closed;

    /**
     * A broker for a hub configured with {@code config}, on the system clock: presence entries
     * live {@link HubConfig#presenceTtl()} unless re-added (the hub re-adds live ones in time).
     * History limits come with each publication ({@link PublishOptions#of(HubConfig)}).
     */
    public MemoryBroker(HubConfig config) {
        this(config.presenceTtl(), Clock.systemUTC(), config.effectiveHistoryBudget(), SWEEP_INTERVAL);
    }

    /**
     * A broker whose presence entries live {@code presenceTtl} unless re-added (zero: they never
     * expire, for a hub that does not refresh them), timing expiry with {@code clock}.
     */
    public MemoryBroker(Duration presenceTtl, Clock clock) {
        this(presenceTtl, clock, HubConfig.defaults().effectiveHistoryBudget(), SWEEP_INTERVAL);
    }

    /**
     * A broker whose channels' history takes at most {@code historyBudget} bytes together, swept
     * every {@code sweepInterval} (zero: never, for tests that sweep by hand with {@link #sweep()}).
     */
    public MemoryBroker(Duration presenceTtl, Clock clock, long historyBudget, Duration sweepInterval) {
        Objects.requireNonNull(presenceTtl, "presenceTtl");
        if (presenceTtl.isNegative()) {
            throw new IllegalArgumentException("presenceTtl must not be negative");
        }
        if (historyBudget <= 0) {
            throw new IllegalArgumentException("historyBudget must be positive");
        }
        this.presenceTtl = presenceTtl;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.epoch = newEpoch();
        this.historyBudget = historyBudget;
        if (sweepInterval.isZero()) {
            this.sweeper = null;
        } else {
            this.sweeper = Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "switchboard-history-sweep");
                thread.setDaemon(true);
                return thread;
            });
            long every = sweepInterval.toMillis();
            sweeper.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /** How often the background sweep runs by default. */
    static final Duration SWEEP_INTERVAL = Duration.ofSeconds(5);

    /** The most bytes all channels' kept history may take together (as estimated per message). */
    public long historyBudget() {
        return historyBudget;
    }

    /** Bytes all channels' kept history takes now (as estimated per message). */
    public long historyBytes() {
        return historyBytes.get();
    }

    /** Channels this broker holds state for (history, presence, subscribers, or an offset). */
    public int channelCount() {
        return streams.size();
    }

    /**
     * Drops expired history and presence everywhere, and forgets channels with nothing left: no
     * history, no presence, no subscribers. The background sweep calls this; tests may too.
     */
    public void sweep() {
        long now = clock.millis();
        for (Map.Entry<String, Stream> entry : streams.entrySet()) {
            String channel = entry.getKey();
            Stream stream = entry.getValue();
            synchronized (stream) {
                expire(stream, now);
                expirePresence(channel, stream, now);
                if (stream.history.isEmpty() && stream.presence.isEmpty() && !stream.subscribed) {
                    streams.remove(channel, stream);
                    stream.forgotten = true;
                    // A channel that never had a publication has no offsets to confuse: it may come back in the same epoch.
                    if (stream.top > 0) {
                        forgotten.add(channel);
                    }
                }
            }
        }
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LoggerHolder.LOG.warn("history sweep failed", e);
        }
    }

    /** The channel's stream, created on first use (with a new epoch when the channel was forgotten before). */
    private Stream stream(String channel) {
        while (true) {
            Stream stream = streams.computeIfAbsent(channel, c -> new Stream(forgotten.mightContain(c) ? newEpoch() : epoch));
            synchronized (stream) {
                if (!stream.forgotten) {
                    return stream;
                }
            }
            // The sweep forgot it between the lookup and the lock: take the one that replaces it.
        }
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

    /** Every publication reaches the listener already; this only keeps the channel from being forgotten. */
    @Override
    public CompletionStage<Void> subscribe(String channel) {
        Stream stream = stream(channel);
        synchronized (stream) {
            stream.subscribed = true;
        }
        return DONE;
    }

    /** The channel may be forgotten once it has nothing left. */
    @Override
    public CompletionStage<Void> unsubscribe(String channel) {
        Stream stream = streams.get(channel);
        if (stream != null) {
            synchronized (stream) {
                stream.subscribed = false;
            }
        }
        return DONE;
    }

    @Override
    public CompletionStage<Message> publish(String channel, String data, String origin, PublishOptions options) {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("broker is closed"));
        }
        Stream stream = stream(channel);
        Message message;
        synchronized (stream) {
            long now = clock.millis();
            message = new Message(channel, stream.top + 1, stream.epoch, data, now, origin);
            stream.top = message.offset();
            if (options.historySize() > 0) {
                Kept k = new Kept(message, now + options.historyTtl().toMillis(), sequence.incrementAndGet(), stream);
                stream.history.addLast(k);
                kept.put(k.sequence, k);
                historyBytes.addAndGet(k.bytes());
            }
            while (stream.history.size() > options.historySize()) {
                drop(stream.history.removeFirst());
            }
            expire(stream, now);
            // Under the lock so that the listener sees each channel's messages in offset order.
            Listener l = listener;
            if (l != null && !closed) {
                l.onPublication(message);
            }
        }
        evictOverBudget();
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
            expire(stream, clock.millis());
            long top = stream.top;
            // The oldest offset a reader can still get; everything before it is gone.
            long firstKept = stream.history.isEmpty() ? top + 1 : stream.history.peekFirst().message.offset();
            long after = since == null ? 0 : since.offset();
            boolean complete;
            if (after == 0) {
                // Nothing seen yet, in whatever epoch: complete while the first message is kept.
                complete = firstKept == 1;
            } else {
                complete = stream.epoch.equals(since.epoch()) && after >= firstKept - 1 && after <= top;
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
            return CompletableFuture.completedFuture(new HistoryResult(List.copyOf(messages), new StreamPosition(top, stream.epoch), complete));
        }
    }

    @Override
    public CompletionStage<Void> addPresence(String channel, ClientInfo client) {
        Stream stream = stream(channel);
        synchronized (stream) {
            long now = clock.millis();
            expirePresence(channel, stream, now);
            long expiresAt = presenceTtl.isZero() ? Long.MAX_VALUE : now + presenceTtl.toMillis();
            Present previous = stream.presence.put(client.clientId(), new Present(client, expiresAt));
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
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
    }

    /** Takes a message out of the budget's books once its stream let go of it. */
    private void drop(Kept k) {
        if (kept.remove(k.sequence, k)) {
            historyBytes.addAndGet(-k.bytes());
        }
    }

    /** Drops the stream's expired messages. Caller holds the stream. */
    private void expire(Stream stream, long now) {
        while (!stream.history.isEmpty() && stream.history.peekFirst().expiresAt <= now) {
            drop(stream.history.removeFirst());
        }
    }

    /** While over budget, drops the oldest kept message of all channels (each stream's oldest is at its head). */
    private void evictOverBudget() {
        while (historyBytes.get() > historyBudget) {
            Map.Entry<Long, Kept> oldest = kept.firstEntry();
            if (oldest == null) {
                return;
            }
            Kept k = oldest.getValue();
            synchronized (k.stream) {
                if (k.stream.history.peekFirst() == k) {
                    k.stream.history.removeFirst();
                }
                drop(k);
            }
        }
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

    /** A message in history, when it leaves it (its publication's history TTL), its place in publication order and its channel. */
    private record Kept(Message message, long expiresAt, long sequence, Stream stream) {
        /** What the message holds in memory, estimated: its text (two bytes a char at worst) and its objects. */
        long bytes() {
            return 2L * (message.data().length() + message.channel().length()) + 160;
        }
    }

    /** Where the sweep's warnings go (created only when one is logged). */
    private static final class LoggerHolder {
        static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MemoryBroker.class);
    }

    /** A presence entry and when it expires unless re-added. */
    private record Present(ClientInfo client, long expiresAt) {
    }

    /** One channel: its last offset, kept history and presence; guarded by its own monitor. */
    private static final class Stream {
        final String epoch;
        long top;
        final ArrayDeque<Kept> history = new ArrayDeque<>(0); // grows at the first message: a channel never published to keeps the smallest table
        final LinkedHashMap<String, Present> presence = new LinkedHashMap<>(4);
        /** Whether this node's hub has subscribers on the channel. */
        boolean subscribed;
        /** Set by the sweep when it forgot the channel: this object is out of the map for good. */
        boolean forgotten;

        Stream(String epoch) {
            this.epoch = epoch;
        }
    }
}
