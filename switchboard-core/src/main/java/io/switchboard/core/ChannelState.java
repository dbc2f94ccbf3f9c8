package io.switchboard.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A channel with local subscribers: its subscriptions grouped by lane (copy-on-write under the
 * {@link Registry}'s lock, read lock-free by the broker's threads), and the fan-out of its events
 * as one task per lane. Gap reads of its subscriptions go through here, so that subscriptions
 * missing the same stretch share one history read.
 */
final class ChannelState {

    private static final Logger log = LoggerFactory.getLogger(ChannelState.class);
    /** How long a failed gap read waits before it is tried again (the broker is likely unreachable). */
    private static final long RETRY_DELAY_MILLIS = 1000;

    final String name;
    /** Completes when the broker's live stream of this channel reaches the node. */
    final CompletableFuture<Void> attached;
    private final Broker broker;
    private final ScheduledExecutorService timer;
    private volatile Group[] groups = new Group[0];
    /** The last publication the broker delivered live, or null: what the position check compares with. */
    private volatile Message lastLive;
    /** False once the channel's last subscription left: its gap reads stop retrying. */
    private volatile boolean active = true;
    /** Gap reads in flight, by the position they read after; made at the first gap read (most channels never have one). */
    private volatile ConcurrentHashMap<StreamPosition, CompletableFuture<HistoryResult>> reads;

    ChannelState(String name, CompletableFuture<Void> attached, Broker broker, ScheduledExecutorService timer) {
        this.name = name;
        this.attached = attached;
        this.broker = broker;
        this.timer = timer;
    }

    // ---- fan-out (broker threads) ----

    /** A live publication: one task per lane, for the subscriptions it has now. */
    void publish(Message message) {
        lastLive = message;
        for (Group group : groups) {
            group.lane.enqueue(new Delivery(message, group.subscriptions));
        }
    }

    /** A presence change: one task per lane. */
    void presenceChanged(ClientInfo client, boolean joined) {
        Subscription.PresenceChange change = new Subscription.PresenceChange(client, joined);
        for (Group group : groups) {
            group.lane.enqueue(new Delivery(change, group.subscriptions));
        }
    }

    /**
     * The broker's latest position, read by the periodic check: when live delivery did not reach it,
     * each subscription compares it with what it delivered and reads what it missed.
     */
    void check(StreamPosition latest) {
        Message last = lastLive;
        if (last != null && last.epoch().equals(latest.epoch()) && last.offset() >= latest.offset()) {
            return;
        }
        for (Group group : groups) {
            group.lane.enqueue(new Delivery(latest, group.subscriptions));
        }
    }

    /** Applies {@code action} to every subscription; from any thread. */
    void forEach(Consumer<Subscription> action) {
        for (Group group : groups) {
            for (Subscription s : group.subscriptions) {
                action.accept(s);
            }
        }
    }

    // ---- gap reads (any thread) ----

    /**
     * Everything history holds after {@code since}. Subscriptions asking from the same position
     * while a read is on its way share it; a failed read is retried until it succeeds or the
     * channel has no subscriptions left.
     */
    CompletionStage<HistoryResult> readAfter(StreamPosition since) {
        ConcurrentHashMap<StreamPosition, CompletableFuture<HistoryResult>> reads = reads();
        CompletableFuture<HistoryResult> read = new CompletableFuture<>();
        CompletableFuture<HistoryResult> shared = reads.putIfAbsent(since, read);
        if (shared != null) {
            return shared;
        }
        read.whenComplete((history, error) -> reads.remove(since, read));
        read(since, read);
        return read;
    }

    private ConcurrentHashMap<StreamPosition, CompletableFuture<HistoryResult>> reads() {
        ConcurrentHashMap<StreamPosition, CompletableFuture<HistoryResult>> r = reads;
        if (r == null) {
            synchronized (this) {
                r = reads;
                if (r == null) {
                    reads = r = new ConcurrentHashMap<>();
                }
            }
        }
        return r;
    }

    private void read(StreamPosition since, CompletableFuture<HistoryResult> into) {
        broker.history(name, since, Integer.MAX_VALUE).whenComplete((history, error) -> {
            if (error == null) {
                into.complete(history);
            } else if (!active) {
                into.completeExceptionally(error);
            } else {
                log.warn("reading the history of {} after {} failed; retrying in {} ms", name, since, RETRY_DELAY_MILLIS, error);
                try {
                    timer.schedule(() -> read(since, into), RETRY_DELAY_MILLIS, TimeUnit.MILLISECONDS);
                } catch (RejectedExecutionException closed) {
                    into.completeExceptionally(closed);
                }
            }
        });
    }

    // ---- membership (under the Registry's lock) ----

    void add(Subscription s) {
        Lane lane = s.owner.lane;
        Group[] gs = groups;
        for (int i = 0; i < gs.length; i++) {
            if (gs[i].lane == lane) {
                Subscription[] subs = Arrays.copyOf(gs[i].subscriptions, gs[i].subscriptions.length + 1);
                subs[subs.length - 1] = s;
                Group[] copy = gs.clone();
                copy[i] = new Group(lane, subs);
                groups = copy;
                return;
            }
        }
        Group[] copy = Arrays.copyOf(gs, gs.length + 1);
        copy[gs.length] = new Group(lane, new Subscription[] {s});
        groups = copy;
    }

    /** Removes {@code s}; true when the channel has no subscriptions left (it is then inactive). */
    boolean remove(Subscription s) {
        Group[] gs = groups;
        for (int i = 0; i < gs.length; i++) {
            Subscription[] subs = gs[i].subscriptions;
            for (int j = 0; j < subs.length; j++) {
                if (subs[j] == s) {
                    Group[] copy;
                    if (subs.length == 1) {
                        copy = new Group[gs.length - 1];
                        System.arraycopy(gs, 0, copy, 0, i);
                        System.arraycopy(gs, i + 1, copy, i, gs.length - i - 1);
                    } else {
                        Subscription[] fewer = new Subscription[subs.length - 1];
                        System.arraycopy(subs, 0, fewer, 0, j);
                        System.arraycopy(subs, j + 1, fewer, j, subs.length - j - 1);
                        copy = gs.clone();
                        copy[i] = new Group(gs[i].lane, fewer);
                    }
                    groups = copy;
                    active = copy.length != 0;
                    return !active;
                }
            }
        }
        return gs.length == 0;
    }

    /** The subscriptions of this channel on one lane. */
    private record Group(Lane lane, Subscription[] subscriptions) {
    }

    /** An event (see {@link Subscription#offer}) for the subscriptions of one lane, as they were when it arrived. */
    private static final class Delivery extends Lane.Task {
        private Object event;
        private Subscription[] subscriptions;

        Delivery(Object event, Subscription[] subscriptions) {
            this.event = event;
            this.subscriptions = subscriptions;
        }

        @Override
        void run(Lane lane) {
            for (Subscription s : subscriptions) {
                s.offer(event, lane);
            }
            // This node stays in the queue as its stub until the next poll: drop references early.
            event = null;
            subscriptions = null;
        }
    }
}
