package io.switchboard.bench.load;

import io.switchboard.websocket.WebSocket;
import io.switchboard.websocket.WebSocketListener;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** Opening many WebSocket connections at once and waiting for all of them. */
public final class Connections {

    private Connections() {
    }

    /**
     * Opens {@code count} WebSockets to {@code path}, connection {@code i} with listener
     * {@code listeners.apply(i)}; returns once all are open, or throws naming the first failure.
     */
    public static List<WebSocket> open(LoadGenerator generator, int count, String path,
                                       IntFunction<WebSocketListener> listeners, ByteCounter counter) throws Exception {
        return open(generator, count, path, listeners, counter, generator.port());
    }

    /** As {@link #open(LoadGenerator, int, String, IntFunction, ByteCounter)}, to the node listening on {@code port}. */
    public static List<WebSocket> open(LoadGenerator generator, int count, String path,
                                       IntFunction<WebSocketListener> listeners, ByteCounter counter, int port) throws Exception {
        List<CompletableFuture<WebSocket>> futures = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            futures.add(generator.webSocket(port, path, listeners.apply(i), counter));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(Math.max(60, count / 100), TimeUnit.SECONDS);
        List<WebSocket> open = new ArrayList<>(count);
        for (CompletableFuture<WebSocket> future : futures) {
            open.add(future.join());
        }
        return open;
    }

    /** Closes every connection with 1000 and waits up to ten seconds for their TCP connections to end. */
    public static void closeAll(List<WebSocket> webSockets) {
        List<CompletableFuture<Void>> closed = new ArrayList<>(webSockets.size());
        for (WebSocket webSocket : webSockets) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            webSocket.channel().closeFuture().addListener(f -> done.complete(null));
            closed.add(done);
            webSocket.close(1000, "done");
        }
        try {
            CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            webSockets.forEach(webSocket -> webSocket.channel().close());
        }
    }
}
