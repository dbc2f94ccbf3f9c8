package io.switchboard.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * A subscriber that records what it is told, in order, as lines such as {@code pub chat 3} or
 * {@code not recovered chat after 6:k3xq9v2a}.
 */
class RecordingSubscriber implements Subscriber {

    private final Executor executor;
    final List<Message> messages = Collections.synchronizedList(new ArrayList<>());
    final List<String> events = Collections.synchronizedList(new ArrayList<>());
    volatile int flushes;

    RecordingSubscriber(Executor executor) {
        this.executor = executor;
    }

    @Override
    public Executor executor() {
        return executor;
    }

    @Override
    public void onPublication(Message message) {
        messages.add(message);
        events.add("pub " + message.channel() + " " + message.offset());
    }

    @Override
    public void onNotRecovered(String channel, StreamPosition position) {
        events.add("not recovered " + channel + " after " + position);
    }

    @Override
    public void onJoin(String channel, ClientInfo client) {
        events.add("join " + channel + " " + client.clientId());
    }

    @Override
    public void onLeave(String channel, ClientInfo client) {
        events.add("leave " + channel + " " + client.clientId());
    }

    @Override
    public void flush() {
        flushes++;
        events.add("flush");
    }

    /** The offsets received on {@code channel}, in order. */
    List<Long> offsets(String channel) {
        synchronized (messages) {
            return messages.stream().filter(m -> m.channel().equals(channel)).map(Message::offset).toList();
        }
    }
}
