package io.switchboard.server.poll;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.core.Hub;
import io.switchboard.core.Message;
import io.switchboard.core.StreamPosition;
import io.switchboard.core.Subscriber;
import io.switchboard.server.http.ChannelCursor;
import io.switchboard.server.http.ChannelQuery;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One poll: subscribes to its channels from their cursors and answers once — at the end of the
 * first delivery batch that brings messages after the cursors (at once when they already exist),
 * or with none when its wait runs out ({@code wait} 0: at once, short polling), or at once when a
 * cursor could not be recovered or publications were lost on their way. A poll whose client
 * goes away is dropped unanswered; on shutdown every held poll is answered with what it has.
 */
final class LongPoll implements Subscriber {

    private final Hub hub;
    private final Channel channel;
    private final long waitNanos;
    private final HeldPolls held;
    private final Consumer<LongPoll> answer;
    private final List<Message> messages = new ArrayList<>();
    private final ChannelCursor cursor;
    private boolean done;
    private Throwable failure;
    private ScheduledFuture<?> timeout;
    /** Releases the poll if its connection closes while it waits; removed once it is answered (kept-alive connections poll again and again). */
    private final ChannelFutureListener onClose = closed -> release();
    /** The most bytes of publications one answer carries; past them the client polls again from the answer's cursor. */
    private final long maxBytes;
    private long bytes;
    /** Set once a publication did not fit: none after it is taken, so no channel's cursor passes one left out. */
    private boolean full;

    /** A poll of {@code query} on {@code channel}, holding up to {@code waitNanos}; {@code answer} runs once, on its event loop. */
    LongPoll(Hub hub, Channel channel, ChannelQuery query, long waitNanos, long maxBytes, HeldPolls held, Consumer<LongPoll> answer) {
        this.maxBytes = maxBytes;
        this.hub = hub;
        this.channel = channel;
        this.waitNanos = waitNanos;
        this.held = held;
        this.answer = answer;
        this.cursor = new ChannelCursor(query);
    }

    /** Subscribes and starts waiting; call on the channel's event loop. */
    void start() {
        held.add(this);
        channel.closeFuture().addListener(onClose);
        cursor.subscribe(hub, this, new ChannelCursor.Listener() {
            @Override
            public void failed(String channel, Throwable error) {
                failure = error;
                finish();
            }

            @Override
            public void subscribed() {
                // Answered by the flush that ends the subscribing batch, or by the timeout.
            }
        });
        if (waitNanos > 0 && !done) {
            timeout = channel.eventLoop().schedule(this::finish, waitNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** The messages after the cursors, in delivery order. */
    List<Message> messages() {
        return Collections.unmodifiableList(messages);
    }

    /** The cursor to poll from next: {@code 7:e} for one channel, {@code a=7:e b=2:e} for several. */
    String cursor() {
        return cursor.text();
    }

    /** False when a cursor was too old or from another epoch, or messages were lost on their way: some before these are gone. */
    boolean recovered() {
        return cursor.unrecovered().isEmpty();
    }

    /** Why the poll could not subscribe, or null. */
    Throwable failure() {
        return failure;
    }

    @Override
    public Executor executor() {
        return channel.eventLoop();
    }

    @Override
    public void onPublication(Message message) {
        // A page at a time: at least one publication, then no more than maxBytes; the cursor stops at the last one taken.
        if (done || full) {
            return;
        }
        if (!messages.isEmpty() && bytes + message.data().length() > maxBytes) {
            full = true;
        } else {
            messages.add(message);
            bytes += message.data().length();
            cursor.advance(message);
        }
    }

    /** Publications were lost: the poll answers at once, from past them. */
    @Override
    public void onNotRecovered(String name, StreamPosition position) {
        // Once full, the next poll resumes before the loss and learns of it itself.
        if (!done && !full) {
            cursor.lost(name, position);
        }
    }

    @Override
    public void flush() {
        // A lost cursor is news too: the client learns at once that it must reload.
        if (!done && cursor.subscribed() && (!messages.isEmpty() || waitNanos == 0 || !recovered())) {
            finish();
        }
    }

    /** Answers now with what the poll has; runs on the poll's event loop; once. */
    void finish() {
        if (done) {
            return;
        }
        release();
        if (channel.isActive()) {
            answer.accept(this);
        }
    }

    /** Answers on the poll's event loop (from any thread): the server is shutting down. */
    void finishSoon() {
        channel.eventLoop().execute(this::finish);
    }

    private void release() {
        done = true;
        channel.closeFuture().removeListener(onClose);
        if (timeout != null) {
            timeout.cancel(false);
        }
        hub.unsubscribeAll(this);
        held.remove(this);
    }
}
