package io.switchboard.bench.scenario;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.switchboard.bench.load.ByteCounter;
import io.switchboard.bench.load.ChatDeliveries;
import io.switchboard.bench.load.LoadGenerator;
import io.switchboard.bench.load.PollSubscriber;
import io.switchboard.bench.load.SseSubscriber;
import io.switchboard.websocket.WebSocket;
import io.switchboard.websocket.WebSocketListener;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The subscribers of a fan-out run on one transport, all recording into one {@link ChatDeliveries}:
 * WebSockets on {@code /chat}, EventSource-like streams on {@code /sse?channel=chat}, or pollers
 * of {@code /poll?channel=chat} (long, or short every interval).
 */
final class ChatAudience implements AutoCloseable {

    /** How subscribers reach the chat. */
    enum Transport {
        WEBSOCKET("WebSocket"), SSE("SSE"), LONG_POLL("long polling"), SHORT_POLL("short polling");

        final String label;

        Transport(String label) {
            this.label = label;
        }
    }

    private final ChatDeliveries deliveries;
    private final List<ChatDeliveries.Subscriber> subscribers = new ArrayList<>();
    private final List<Channel> channels = new ArrayList<>();
    private final List<PollSubscriber> pollers = new ArrayList<>();

    private ChatAudience(ChatDeliveries deliveries) {
        this.deliveries = deliveries;
    }

    /**
     * Opens {@code count} subscribers over {@code transport}, spread in turn over the nodes listening on
     * {@code ports}, and waits until every one is subscribed.
     */
    static ChatAudience open(LoadGenerator generator, List<Integer> ports, Transport transport, int count, ChatDeliveries deliveries,
                             ByteCounter counter, Duration shortPollInterval) throws Exception {
        ChatAudience audience = new ChatAudience(deliveries);
        try {
            List<CompletableFuture<Channel>> connecting = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                connecting.add(audience.connect(generator, ports.get(i % ports.size()), transport, counter, shortPollInterval));
            }
            CompletableFuture.allOf(connecting.toArray(CompletableFuture[]::new)).get(Math.max(120, count / 20), TimeUnit.SECONDS);
            connecting.forEach(c -> audience.channels.add(c.join()));
            audience.awaitReady(Duration.ofSeconds(Math.max(30, count / 200)));
            return audience;
        } catch (Exception e) {
            audience.close();
            throw e;
        }
    }

    private CompletableFuture<Channel> connect(LoadGenerator generator, int port, Transport transport, ByteCounter counter,
                                               Duration shortPollInterval) {
        switch (transport) {
            case WEBSOCKET -> {
                ChatDeliveries.Subscriber subscriber = add(new ChatDeliveries.Subscriber());
                return generator.webSocket(port, "/chat", new WebSocketListener() {
                    @Override
                    public void onText(WebSocket webSocket, ByteBuf utf8) {
                        subscriber.ready(true); // the first message is the welcome, sent once subscribed
                        deliveries.scan(subscriber, utf8);
                    }
                }, counter).thenApply(WebSocket::channel);
            }
            case SSE -> {
                SseSubscriber sse = new SseSubscriber("/sse?channel=" + FanoutScenario.CHANNEL, deliveries);
                add(sse.subscriber());
                return generator.http(port, counter, new HttpClientCodec(), sse);
            }
            default -> {
                boolean longPoll = transport == Transport.LONG_POLL;
                PollSubscriber poller = new PollSubscriber(FanoutScenario.CHANNEL, longPoll ? 30 : 0,
                        longPoll ? Duration.ZERO : shortPollInterval, deliveries);
                pollers.add(poller);
                add(poller.subscriber());
                return generator.http(port, counter, new HttpClientCodec(), new HttpObjectAggregator(16 * 1024 * 1024), poller);
            }
        }
    }

    private ChatDeliveries.Subscriber add(ChatDeliveries.Subscriber subscriber) {
        subscribers.add(subscriber);
        return subscriber;
    }

    private void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (subscribers.stream().anyMatch(s -> !s.ready())) {
            if (System.nanoTime() > deadline) {
                long ready = subscribers.stream().filter(ChatDeliveries.Subscriber::ready).count();
                throw new IllegalStateException("only " + ready + " of " + subscribers.size() + " subscribers subscribed within " + timeout);
            }
            Thread.sleep(20);
        }
    }

    /** Subscribers. */
    int size() {
        return subscribers.size();
    }

    /** Subscribers whose connection is still open. */
    long open() {
        return channels.stream().filter(Channel::isActive).count();
    }

    /**
     * Waits until {@code expected} deliveries arrived, or nothing arrived for {@code quiet}; returns
     * the deliveries counted.
     */
    long drain(long expected, Duration quiet, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        long last = -1;
        long lastChange = System.nanoTime();
        while (true) {
            long now = deliveries.delivered();
            if (now >= expected || System.nanoTime() > deadline) {
                return now;
            }
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > quiet.toNanos()) {
                return now;
            }
            Thread.sleep(10);
        }
    }

    @Override
    public void close() {
        pollers.forEach(PollSubscriber::stop);
        channels.forEach(Channel::close);
        channels.forEach(c -> c.closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS));
    }
}
