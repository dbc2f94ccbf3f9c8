package io.switchboard.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A broker whose history reads wait until the test opens the gate, as a remote broker's might. */
final class GatedBroker extends ForwardingBroker {

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
    Broker delegate() {
        return delegate;
    }

    @Override
    public CompletionStage<HistoryResult> history(String channel, StreamPosition since, int limit) {
        return gate.thenCompose(v -> delegate.history(channel, since, limit));
    }
}
