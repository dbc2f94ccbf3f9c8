package io.switchboard.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class EventSourceTest {

    @RegisterExtension
    static final LocalServer local = new LocalServer();



    /** Records callbacks as lines: {@code open OPEN}, {@code news {"n":1} 1:epoch}, {@code error CONNECTING}. */
    static final class Events implements EventSource.Listener {
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

        String next() throws InterruptedException {
            String line = lines.poll(10, TimeUnit.SECONDS);
            assertThat(line).as("an event within 10 s").isNotNull();
            return line;
        }

        @Override
        public void onOpen(EventSource source) {
            lines.add("open " + source.readyState());
        }

        @Override
        public void onMessage(EventSource source, EventSource.Event event) {
            lines.add(event.type() + " " + event.data() + " " + event.lastEventId());
        }

        @Override
        public void onError(EventSource source, Throwable cause) {
            lines.add("error " + source.readyState());
        }
    }

    private static String publish(String channel, String data) throws Exception {
        return local.publish(channel, data);
    }

    @Test
    void resumesWithLastEventIdAndGetsExactlyTheMissedEvents() throws Exception {
        try (Relay relay = new Relay(local.server().port())) {
            // Subscribing from the channel's start (offset 0) makes the first event a recovered one, so
            // once it arrives the subscription is live and nothing published later can slip past it.
            String first = publish("resume", "{\"n\":1}");
            String start = "0:" + first.substring(first.indexOf(':') + 1);
            Events events = new Events();
            EventSource source = local.client().eventSource(LocalServer.uri("http", relay.port(), "/sse?channel=resume&since=" + start), events);
            assertThat(events.next()).isEqualTo("open OPEN");
            assertThat(events.next()).isEqualTo("resume {\"n\":1} " + first);
            String second = publish("resume", "{\"n\":2}");
            assertThat(events.next()).isEqualTo("resume {\"n\":2} " + second);
            assertThat(source.reconnectionTime()).isEqualTo(Duration.ofMillis(2000));

            relay.cut();
            assertThat(events.next()).isEqualTo("error CONNECTING");
            String third = publish("resume", "{\"n\":3}");
            String fourth = publish("resume", "[\"multi\",\n\"line\"]");

            assertThat(events.next()).isEqualTo("open OPEN");
            assertThat(events.next()).isEqualTo("resume {\"n\":3} " + third);
            assertThat(events.next()).isEqualTo("resume [\"multi\",\n\"line\"] " + fourth);
            String fifth = publish("resume", "{\"n\":5}");
            assertThat(events.next()).isEqualTo("resume {\"n\":5} " + fifth);
            assertThat(source.lastEventId()).isEqualTo(fifth);

            source.close();
            assertThat(source.readyState()).isEqualTo(EventSource.State.CLOSED);
            assertThat(events.lines.poll(100, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void aResponseThatIsNotAnEventStreamFailsForGood() throws Exception {
        Events events = new Events();
        EventSource source = local.client().eventSource(local.uri("http", "/"), events);

        assertThat(events.next()).isEqualTo("error CLOSED");
        assertThat(source.readyState()).isEqualTo(EventSource.State.CLOSED);
    }
}
