package io.switchboard.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * The delivery queue of one executor (for Netty, one event loop). Any thread enqueues; at most one
 * drain task is scheduled on the executor at a time, and it runs a batch of queued work for every
 * subscriber on that executor, then flushes each subscriber that received something once.
 *
 * <p>The queue is Vyukov's lock-free multi-producer single-consumer list: the tasks are the nodes,
 * so an enqueue is one {@code getAndSet} and no allocation beyond the task.
 */
final class Lane {

    private static final Logger log = LoggerFactory.getLogger(Lane.class);

    /** Tasks run per drain before yielding the executor to its other work (I/O, timers). */
    static final int MAX_BATCH = 1024;

    /** A unit of work for this lane's subscribers; also a queue node. */
    abstract static class Task {
        volatile Task next;

        /** Runs on the lane's executor, never concurrently with another task of the same lane. */
        abstract void run(Lane lane);
    }

    /** What a lane's tasks deliver to: flushed once at the end of each batch that gave it something. */
    abstract static class Sink {
        /** Received something in the running batch; touched only by the lane's drain. */
        boolean dirty;

        /** Writes out what the batch's tasks gave it; runs on the lane's executor. */
        abstract void flush();
    }

    private static final class Stub extends Task {
        @Override
        void run(Lane lane) {
        }
    }

    final Executor executor;
    /** Subscriptions using this lane; counted by its owner (the registry) under the owner's lock. */
    int references;
    /** Deliveries in the running batch; added to {@link #deliveredTotal} once per batch. */
    int delivered;
    private final LongAdder deliveredTotal;

    private final AtomicReference<Task> tail;
    /** The consumed node before the first queued one; touched only by the running drain. */
    private Task head;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    /** The executor refused a drain (it is shut down): later tasks are dropped, no drain runs again. */
    private volatile boolean rejected;
    private final Runnable drain = this::drain;
    /** Sinks that received something in the running batch; touched only by the drain. */
    private final ArrayList<Sink> dirty = new ArrayList<>();

    Lane(Executor executor, LongAdder deliveredTotal) {
        this.executor = executor;
        this.deliveredTotal = deliveredTotal;
        Task stub = new Stub();
        this.head = stub;
        this.tail = new AtomicReference<>(stub);
    }

    /** Queues {@code task} and makes sure a drain is scheduled; callable from any thread. */
    void enqueue(Task task) {
        if (rejected) {
            return;
        }
        Task previous = tail.getAndSet(task);
        previous.next = task;
        // Must come after linking: a drain that just cleared 'scheduled' then rechecks the queue.
        if (scheduled.compareAndSet(false, true)) {
            submit();
        }
    }

    /** Marks {@code sink} to be flushed at the end of the running batch; call from a task. */
    void markDirty(Sink sink) {
        if (!sink.dirty) {
            sink.dirty = true;
            dirty.add(sink);
        }
    }

    private Task poll() {
        Task next = head.next;
        if (next != null) {
            head = next; // the polled task becomes the new stub
        }
        return next;
    }

    private void drain() {
        try {
            for (int n = 0; n < MAX_BATCH; n++) {
                Task task = poll();
                if (task == null) {
                    break;
                }
                try {
                    task.run(this);
                } catch (RuntimeException | Error e) {
                    log.warn("delivery task failed", e);
                }
            }
        } finally {
            if (delivered != 0) {
                deliveredTotal.add(delivered);
                delivered = 0;
            }
            flushDirty();
            scheduled.set(false);
            if (head.next != null && scheduled.compareAndSet(false, true)) {
                submit();
            }
        }
    }

    /** Schedules a drain; the caller set {@code scheduled}. */
    private void submit() {
        try {
            executor.execute(drain);
        } catch (RejectedExecutionException e) {
            // The executor is shut down (its connections are gone). Only a drain may consume the
            // queue, so a producer never does: 'scheduled' stays set, and the queue goes with the lane.
            log.debug("executor rejected a delivery batch; dropping it", e);
            rejected = true;
        }
    }

    private void flushDirty() {
        for (int i = 0, n = dirty.size(); i < n; i++) {
            Sink sink = dirty.get(i);
            sink.dirty = false;
            try {
                sink.flush();
            } catch (RuntimeException | Error e) {
                // As for a task: an error (out of memory writing a reply) must not stop this lane's deliveries.
                log.warn("subscriber flush failed", e);
            }
        }
        dirty.clear();
    }
}
