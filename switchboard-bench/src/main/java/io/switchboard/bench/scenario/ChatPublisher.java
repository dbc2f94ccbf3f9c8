package io.switchboard.bench.scenario;

import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.bench.load.ChatDeliveries;
import io.switchboard.bench.load.LoadGenerator;
import io.switchboard.websocket.ReadyState;
import io.switchboard.websocket.WebSocket;
import io.switchboard.websocket.WebSocketListener;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The one publisher of a fan-out run: a chat WebSocket sending numbered messages at a fixed rate. */
final class ChatPublisher implements AutoCloseable {

    private final WebSocket webSocket;
    private long nextSeq;

    private ChatPublisher(WebSocket webSocket) {
        this.webSocket = webSocket;
    }

    static ChatPublisher open(LoadGenerator generator) throws Exception {
        return new ChatPublisher(generator.webSocket("/chat", new WebSocketListener() { }, null).get(30, TimeUnit.SECONDS));
    }

    /**
     * Publishes {@code count} messages at {@code rate} per second, paced against the clock every
     * millisecond; completes when the last one is written.
     */
    CompletableFuture<Long> publish(double rate, long count) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        long first = nextSeq;
        nextSeq += count;
        long start = System.nanoTime();
        long[] sent = {0};
        ScheduledFuture<?>[] task = new ScheduledFuture<?>[1];
        task[0] = webSocket.executor().scheduleAtFixedRate(() -> {
            if (webSocket.readyState() != ReadyState.OPEN) {
                task[0].cancel(false);
                done.completeExceptionally(new IllegalStateException("publisher connection closed"));
                return;
            }
            long due = Math.min(count, (long) ((System.nanoTime() - start) / 1e9 * rate) + 1);
            while (sent[0] < due) {
                webSocket.sendText(ChatDeliveries.publication(first + sent[0]));
                sent[0]++;
            }
            if (sent[0] == count) {
                task[0].cancel(false);
                done.complete(count);
            }
        }, 0, 1, TimeUnit.MILLISECONDS);
        return done;
    }

    @Override
    public void close() {
        webSocket.close(1000, "done");
    }
}
