package io.switchboard.bench.scenario;

import io.netty.buffer.ByteBuf;
import io.switchboard.bench.load.Connections;
import io.switchboard.bench.load.Latency;
import io.switchboard.bench.load.LoadGenerator;
import io.switchboard.bench.load.ServerProcess;
import io.switchboard.bench.peer.Peer;
import io.switchboard.websocket.ReadyState;
import io.switchboard.websocket.WebSocket;
import io.switchboard.websocket.WebSocketListener;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code echo}: N connections to {@code ws /echo}, each keeping P text messages in flight (a
 * message is sent again as soon as its echo returns); messages/s and round-trip percentiles.
 * Each message starts with its send time (16 hex digits of {@link System#nanoTime()}), so it stays
 * valid UTF-8 text.
 */
public final class EchoScenario implements Scenario {

    @Override
    public String name() {
        return "echo";
    }

    @Override
    public String description() {
        return "N connections x P messages in flight on ws /echo: messages/s, round trip p50/p99/p999";
    }

    @Override
    public List<Result> run(Peer peer, int port, BenchOptions options, Progress progress) throws Exception {
        List<Result> results = new ArrayList<>();
        for (int size : options.sizes) {
            for (int inFlight : options.inFlight) {
                results.add(run(peer, port, options, progress, options.connections, size, inFlight));
            }
        }
        return results;
    }

    /** One echo run: {@code connections} x {@code inFlight} messages of {@code size} bytes. */
    public Result run(Peer peer, int port, BenchOptions options, Progress progress, int connections, int size, int inFlight) throws Exception {
        String variant = String.format(Locale.ROOT, "%s x %d in flight, %d conns", sizeLabel(size), inFlight, connections);
        Latency latency = new Latency();
        LongAdder echoes = new LongAdder();
        Echoer echoer = new Echoer(size, inFlight, latency, echoes);
        try (LoadGenerator generator = new LoadGenerator(port, options.generatorThreads)) {
            List<WebSocket> webSockets = Connections.open(generator, connections, "/echo", i -> echoer, null);
            webSockets.forEach(echoer::start);
            Window window = new Window(generator.cpu(), new ServerProcess(peer.pid()));
            window.run(progress, "echo " + peer.name() + " " + variant, options, () -> {
                echoes.reset();
                latency.reset();
            }, echoes::sum, () -> String.format(Locale.ROOT, "%,d echoes", echoes.sum()));
            long counted = echoes.sum();
            Histogram histogram = latency.histogram();
            echoer.running = false;
            long open = webSockets.stream().filter(ws -> ws.readyState() == ReadyState.OPEN).count();
            Connections.closeAll(webSockets);
            Result result = Result.of(name(), peer.name(), variant, histogram)
                    .put("msg/s", window.rate(counted))
                    .put("p50 ms", Latency.millis(histogram, 50))
                    .put("p99 ms", Latency.millis(histogram, 99))
                    .put("p999 ms", Latency.millis(histogram, 99.9))
                    .put("dropped conns", connections - open);
            return window.cpu(window.cpuPerEvent(result, counted, "msg", true));
        }
    }

    static String sizeLabel(int size) {
        return size >= 1024 && size % 1024 == 0 ? size / 1024 + " KiB" : size + " B";
    }

    /** {@code value} as 8 lowercase hex digits in ASCII, packed big-endian into a long. */
    static long hex(int value) {
        long digits = 0;
        for (int shift = 28; shift >= 0; shift -= 4) {
            int nibble = (value >>> shift) & 0xF;
            digits = digits << 8 | (nibble < 10 ? '0' + nibble : 'a' - 10 + nibble);
        }
        return digits;
    }

    /** The inverse of {@link #hex(int)}: 8 hex digits packed into a long, as an unsigned 32-bit value. */
    static long unhex(long digits) {
        long value = 0;
        for (int shift = 56; shift >= 0; shift -= 8) {
            int c = (int) (digits >>> shift) & 0xFF;
            value = value << 4 | (c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
        }
        return value;
    }

    /** Sends the next message whenever an echo returns, recording the echo's round trip. */
    private static final class Echoer implements WebSocketListener {
        private final int size;
        private final int inFlight;
        private final Latency latency;
        private final LongAdder echoes;
        private final byte[] padding;
        volatile boolean running = true;

        Echoer(int size, int inFlight, Latency latency, LongAdder echoes) {
            this.size = Math.max(16, size);
            this.inFlight = inFlight;
            this.latency = latency;
            this.echoes = echoes;
            this.padding = new byte[this.size - 16];
            Arrays.fill(padding, (byte) 'x');
        }

        void start(WebSocket webSocket) {
            webSocket.executor().execute(() -> {
                for (int i = 0; i < inFlight; i++) {
                    send(webSocket);
                }
            });
        }

        private void send(WebSocket webSocket) {
            ByteBuf message = webSocket.alloc().buffer(size);
            long now = System.nanoTime();
            message.writeLong(hex((int) (now >>> 32)));
            message.writeLong(hex((int) now));
            message.writeBytes(padding);
            webSocket.sendText(message);
        }

        @Override
        public void onText(WebSocket webSocket, ByteBuf utf8) {
            int at = utf8.readerIndex();
            long sent = unhex(utf8.getLong(at)) << 32 | unhex(utf8.getLong(at + 8));
            latency.record(System.nanoTime() - sent);
            echoes.increment();
            if (running && webSocket.readyState() == ReadyState.OPEN) {
                send(webSocket);
            }
        }
    }
}
