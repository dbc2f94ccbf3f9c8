package io.switchboard.core;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** A broker that hands every call to another; a test broker overrides the calls it plays tricks with. */
abstract class ForwardingBroker implements Broker {

    /** Where the calls go. */
    abstract Broker delegate();

    @Override
    public void listen(Listener listener) {
        delegate().listen(listener);
    }

    @Override
    public CompletionStage<Void> subscribe(String channel) {
        return delegate().subscribe(channel);
    }

    @Override
    public CompletionStage<Void> unsubscribe(String channel) {
        return delegate().unsubscribe(channel);
    }

    @Override
    public java.time.Duration presenceTtl() {
        return delegate().presenceTtl();
    }

    @Override
    public CompletionStage<Message> publish(String channel, String data, String origin, PublishOptions options) {
        return delegate().publish(channel, data, origin, options);
    }

    @Override
    public CompletionStage<HistoryResult> history(String channel, StreamPosition since, int limit) {
        return delegate().history(channel, since, limit);
    }

    @Override
    public CompletionStage<Void> addPresence(String channel, ClientInfo client) {
        return delegate().addPresence(channel, client);
    }

    @Override
    public CompletionStage<Void> removePresence(String channel, ClientInfo client) {
        return delegate().removePresence(channel, client);
    }

    @Override
    public CompletionStage<List<ClientInfo>> presence(String channel) {
        return delegate().presence(channel);
    }

    @Override
    public void close() {
        delegate().close();
    }
}
