package io.switchboard.core;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A broker whose history reads wait until the test opens the gate, as a remote broker's might. */
final class GatedBroker implements Broker {

    private final Broker delegate;
    private final CompletableFuture<Void> gate = new CompletableFuture<>();

    GatedBroker(Broker delegate) {
        this.delegate = delegate;
    }

    /** Lets every pending and later history read go to the delegate. */
    void open() {
        gate.complete(null);
    }

    @Override
    public void listen(Listener listener) {
        delegate.listen(listener);
    }

    @Override
    public CompletionStage<Void> subscribe(String channel) {
        return delegate.subscribe(channel);
    }

    @Override
    public CompletionStage<Void> unsubscribe(String channel) {
        return delegate.unsubscribe(channel);
    }

    @Override
    public Duration presenceTtl() {
        return delegate.presenceTtl();
    }

    @Override
    public CompletionStage<Message> publish(String channel, String data, String origin, PublishOptions options) {
        return delegate.publish(channel, data, origin, options);
    }

    @Override
    public CompletionStage<HistoryResult> history(String channel, StreamPosition since, int limit) {
        return gate.thenCompose(v -> delegate.history(channel, since, limit));
    }

    @Override
    public CompletionStage<Void> addPresence(String channel, ClientInfo client) {
        return delegate.addPresence(channel, client);
    }

    @Override
    public CompletionStage<Void> removePresence(String channel, ClientInfo client) {
        return delegate.removePresence(channel, client);
    }

    @Override
    public CompletionStage<List<ClientInfo>> presence(String channel) {
        return delegate.presence(channel);
    }

    @Override
    public void close() {
        delegate.close();
    }
}
