package io.switchboard.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One subscriber on one channel, and what keeps its stream whole: it buffers live events while
 * history is read, replays what came after its cursor, then streams live. Live delivery from the
 * broker is at-most-once, so a publication that does not follow the last one delivered (an offset
 * jump, a new epoch), or a position check that finds the channel ahead, sends it back to buffering
 * while the gap is read from history; what history no longer holds is reported with
 * {@link Subscriber#onNotRecovered}. Delivery state is touched only by its lane's tasks.
 */
final class Subscription {

    private static final Logger log = LoggerFactory.getLogger(Subscription.class);

    private static final int BUFFERING = 0;
    private static final int LIVE = 1;
    private static final int CLOSED = 2;

    private static final AtomicIntegerFieldUpdater<Subscription> PRESENCE =
            AtomicIntegerFieldUpdater.newUpdater(Subscription.class, "presence");

    private static final int ABSENT = 0;
    private static final int JOINING = 1;
    private static final int PRESENT = 2;
    private static final int LEFT = 3;

    final SubscriberState owner;
    final ChannelState channel;
    /** The client in presence, or null for a subscriber that is not present. */
    final ClientInfo client;
    private volatile int state = BUFFERING;
    /** Live events (messages, presence changes) that arrived while history was being read; null when live. */
    private List<Object> buffer = new ArrayList<>();
    /** The position of the last delivered message: the next one must be {@code lastOffset + 1} in {@code epoch}. */
    private String epoch;
    private long lastOffset;
    /** ABSENT, JOINING, PRESENT or LEFT; through {@link #PRESENCE} (a field, not an AtomicInteger object per subscription). */
    private volatile int presence = ABSENT;
    /** The addition to presence; set before {@link #presence} becomes PRESENT. */
    private volatile CompletionStage<Void> joined;

    Subscription(SubscriberState owner, ChannelState channel, ClientInfo client) {
        this.owner = owner;
        this.channel = channel;
        this.client = client;
    }

    /** The channel's name. */
    String name() {
        return channel.name;
    }

    /** Ends deliveries; from any thread. */
    void close() {
        state = CLOSED;
    }

    // ---- presence (any thread) ----

    /** Adds the client to the channel's presence, unless the subscription already left. */
    void join(Broker broker) {
        if (client == null || !PRESENCE.compareAndSet(this, ABSENT, JOINING)) {
            return;
        }
        CompletionStage<Void> added = broker.addPresence(name(), client);
        joined = added;
        if (!PRESENCE.compareAndSet(this, JOINING, PRESENT)) {
            // It left while joining: take the entry back once it is in.
            added.whenComplete((ignored, error) -> broker.removePresence(name(), client));
        }
    }

    /** Removes the client from presence if it joined; later joins and refreshes do nothing. */
    void leave(Broker broker) {
        if (client != null && PRESENCE.getAndSet(this, LEFT) == PRESENT) {
            joined.whenComplete((ignored, error) -> broker.removePresence(name(), client));
        }
    }

    /** Adds the presence entry again, so a broker whose entries expire keeps it while it is live. */
    void refreshPresence(Broker broker) {
        if (client == null || presence != PRESENT) {
            return;
        }
        broker.addPresence(name(), client).whenComplete((ignored, error) -> {
            if (presence == LEFT) {
                // It left while the refresh was on its way: the refresh may have landed after the removal.
                broker.removePresence(name(), client);
            }
        });
    }

    // ---- delivery (on the lane) ----

    /**
     * An event of the channel, in the broker's order: a live publication, a {@link PresenceChange},
     * or the broker's latest position from the periodic check (when it is ahead, read what was missed).
     */
    void offer(Object event, Lane lane) {
        int s = state;
        if (s == LIVE) {
            if (event instanceof Message m) {
                accept(m, lane);
            } else if (event instanceof PresenceChange change) {
                tell(change, lane);
            } else {
                check((StreamPosition) event, lane);
            }
        } else if (s == BUFFERING && !(event instanceof StreamPosition)) {
            buffer.add(event); // a position check is skipped: the read under way, or the next check, covers it
        }
    }

    /**
     * Ends a history read after {@code since} (null: a subscribe without a cursor): completes the
     * subscribe's {@code reply}, or tells the subscriber when the gap could not be filled; replays
     * the history, then the buffered events, and goes live unless the buffer has a gap of its own.
     */
    void recover(StreamPosition since, HistoryResult history, CompletableFuture<SubscribeResult> reply, Lane lane) {
        boolean recovered = since != null && history.complete();
        StreamPosition position = history.position();
        List<Object> buffered = buffer;
        if (recovered) {
            // The broker's epoch, not the cursor's: a cursor that has seen nothing may name any epoch.
            epoch = position.epoch();
            lastOffset = since.offset();
        } else {
            epoch = position.epoch();
            lastOffset = position.offset();
            // Publications that reached this subscription while it buffered follow the reported
            // position, even when the broker's position was read after they were stored.
            long first = firstBufferedOffset(buffered);
            if (first > 0 && first - 1 < lastOffset) {
                lastOffset = first - 1;
                position = new StreamPosition(lastOffset, epoch);
            }
        }
        if (reply != null) {
            reply.complete(new SubscribeResult(position, recovered));
        }
        // The reply the transport wrote in its callback goes out with this batch's flush.
        lane.markDirty(owner);
        if (state != BUFFERING) {
            return;
        }
        if (reply == null && !recovered) {
            notRecovered(position);
        }
        if (recovered) {
            for (Message m : history.messages()) {
                if (m.offset() > lastOffset) {
                    publish(m, lane);
                }
            }
        }
        buffer = null;
        for (int i = 0; i < buffered.size(); i++) {
            Object event = buffered.get(i);
            if (!(event instanceof Message m)) {
                tell((PresenceChange) event, lane);
            } else if (!m.epoch().equals(epoch) || m.offset() <= lastOffset) {
                // Delivered from history, or from an epoch the read has left behind (a message of a
                // newer one shows up as a gap with the next message or the next position check).
                continue;
            } else if (m.offset() == lastOffset + 1) {
                publish(m, lane);
            } else {
                buffer = new ArrayList<>(buffered.subList(i, buffered.size()));
                readGap(lane);
                return;
            }
        }
        state = LIVE;
    }

    private void check(StreamPosition latest, Lane lane) {
        if (latest.epoch().equals(epoch) && latest.offset() <= lastOffset) {
            return;
        }
        buffer = new ArrayList<>();
        state = BUFFERING;
        readGap(lane);
    }

    private void accept(Message m, Lane lane) {
        if (m.epoch().equals(epoch)) {
            if (m.offset() == lastOffset + 1) {
                publish(m, lane);
                return;
            }
            if (m.offset() <= lastOffset) {
                return; // delivered already, from history
            }
        }
        // A jump or a new epoch: live delivery lost something. Hold the stream while history fills it.
        buffer = new ArrayList<>();
        buffer.add(m);
        state = BUFFERING;
        readGap(lane);
    }

    /** Reads the history after the last delivered message and finishes on the lane. */
    private void readGap(Lane lane) {
        StreamPosition since = new StreamPosition(lastOffset, epoch);
        channel.readAfter(since).whenComplete((history, error) -> {
            if (error == null) {
                lane.enqueue(new Recovery(this, since, history, null));
            } else {
                log.debug("gap of {} after {} not read; the channel is gone", name(), since, error);
            }
        });
    }

    /** The offset of the first buffered publication in this subscription's epoch, or 0. */
    private long firstBufferedOffset(List<Object> buffered) {
        for (Object event : buffered) {
            if (event instanceof Message m && m.epoch().equals(epoch)) {
                return m.offset();
            }
        }
        return 0;
    }

    private void publish(Message m, Lane lane) {
        lastOffset = m.offset();
        lane.delivered++;
        try {
            owner.subscriber.onPublication(m);
        } catch (RuntimeException e) {
            log.warn("subscriber failed on a publication of {}", name(), e);
        }
        lane.markDirty(owner);
    }

    private void notRecovered(StreamPosition position) {
        try {
            owner.subscriber.onNotRecovered(name(), position);
        } catch (RuntimeException e) {
            log.warn("subscriber failed on a lost stretch of {}", name(), e);
        }
    }

    private void tell(PresenceChange change, Lane lane) {
        if (client != null && client.clientId().equals(change.client().clientId())) {
            return; // a client is not told about itself
        }
        try {
            if (change.joined()) {
                owner.subscriber.onJoin(name(), change.client());
            } else {
                owner.subscriber.onLeave(name(), change.client());
            }
        } catch (RuntimeException e) {
            log.warn("subscriber failed on a presence change of {}", name(), e);
        }
        lane.markDirty(owner);
    }

    /** A client joined ({@code joined}) or left the channel's presence. */
    record PresenceChange(ClientInfo client, boolean joined) {
    }

    /** Ends a subscription's buffering on its lane: answer, replay history, release the buffer. */
    static final class Recovery extends Lane.Task {
        private final Subscription subscription;
        private final StreamPosition since;
        private final HistoryResult history;
        private final CompletableFuture<SubscribeResult> reply;

        Recovery(Subscription subscription, StreamPosition since, HistoryResult history, CompletableFuture<SubscribeResult> reply) {
            this.subscription = subscription;
            this.since = since;
            this.history = history;
            this.reply = reply;
        }

        @Override
        void run(Lane lane) {
            subscription.recover(since, history, reply, lane);
        }
    }
}
