package io.switchboard.redis;

import io.switchboard.core.BrokerUnavailableException;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Retries an operation while Redis is unavailable (restarting, reconnecting), for up to 20 seconds. */
final class OnceAvailable {

    private OnceAvailable() {
    }

    /** The result of the first attempt that Redis did not refuse as unavailable. */
    static <T> T await(Supplier<CompletionStage<T>> attempt) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                return attempt.get().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof BrokerUnavailableException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }
}
