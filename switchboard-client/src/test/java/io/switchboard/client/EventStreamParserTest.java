package io.switchboard.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The examples of the WHATWG HTML standard, section 9.2.6 (interpreting an event stream). */
class EventStreamParserTest {

    private final List<EventSource.Event> events = new ArrayList<>();
    private final List<Long> retries = new ArrayList<>();
    private final EventStreamParser parser = new EventStreamParser(new EventStreamParser.Sink() {
        @Override
        public void onEvent(EventSource.Event event) {
            events.add(event);
        }

        @Override
        public void onRetry(long millis) {
            retries.add(millis);
        }
    }, 1024);

    private void feed(String... chunks) throws IOException {
        for (String chunk : chunks) {
            ByteBuf bytes = Unpooled.copiedBuffer(chunk, StandardCharsets.UTF_8);
            try {
                parser.feed(bytes);
            } finally {
                bytes.release();
            }
        }
    }

    @Test
    void multiLineDataIsJoinedWithLineFeeds() throws IOException {
        feed("data: YHOO\ndata: +2\ndata: 10\n\n");
        assertThat(events).containsExactly(new EventSource.Event("message", "YHOO\n+2\n10", ""));
    }

    @Test
    void idPersistsAndCommentsAreIgnored() throws IOException {
        feed(": test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n");
        assertThat(events).containsExactly(
                new EventSource.Event("message", "first event", "1"),
                new EventSource.Event("message", "second event", ""),
                new EventSource.Event("message", " third event", ""));
        assertThat(parser.lastEventId()).isEmpty();
    }

    @Test
    void emptyDataFieldsDispatchEmptyAndNewlineEvents() throws IOException {
        feed("data\n\ndata\ndata\n\ndata:");
        assertThat(events).containsExactly(new EventSource.Event("message", "", ""), new EventSource.Event("message", "\n", ""));
    }

    @Test
    void eventTypeRetryAndEveryLineEndingAcrossChunks() throws IOException {
        feed("\uFEFFretry: 2000\r\nid: 7:ab\r", "\nevent: news\rdata: {\"a\"", ":1}\r\n", "\r\n");
        feed("retry: soon\n: ping\n\nevent: ignored\n\n");
        assertThat(retries).containsExactly(2000L);
        assertThat(events).containsExactly(new EventSource.Event("news", "{\"a\":1}", "7:ab"));
        assertThat(parser.lastEventId()).isEqualTo("7:ab");
    }

    @Test
    void resetDropsTheHalfReadEventButKeepsTheLastEventId() throws IOException {
        feed("id: 3:e\ndata: done\n\ndata: half");
        parser.reset();
        feed("\n\n");
        assertThat(events).containsExactly(new EventSource.Event("message", "done", "3:e"));
        assertThat(parser.lastEventId()).isEqualTo("3:e");
    }

    @Test
    void anEventOverTheLimitFails() {
        assertThatThrownBy(() -> feed("data: " + "x".repeat(2000) + "\n\n")).isInstanceOf(IOException.class);
    }
}
