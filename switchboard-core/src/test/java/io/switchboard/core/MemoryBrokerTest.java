package io.switchboard.core;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

class MemoryBrokerTest extends BrokerContractTest {

    @Override
    protected Broker newBroker(HubConfig config) {
        return new MemoryBroker(config);
    }

    @Test
    void historyDropsMessagesOlderThanTheTtl() throws Exception {
        MutableClock clock = new MutableClock();
        MemoryBroker ttlBroker = new MemoryBroker(new HubConfig(100, Duration.ofSeconds(60), 255, 128), clock);
        Message first = await(ttlBroker.publish("a", "1", null));
        clock.advance(Duration.ofSeconds(30));
        await(ttlBroker.publish("a", "2", null));
        clock.advance(Duration.ofSeconds(31));

        HistoryResult h = await(ttlBroker.history("a", null, 10));
        HistoryResult fromFirst = await(ttlBroker.history("a", first.position(), 10));
        HistoryResult fromStart = await(ttlBroker.history("a", new StreamPosition(0, first.epoch()), 10));

        assertThat(h.messages()).extracting(Message::offset).containsExactly(2L);
        assertThat(fromFirst.complete()).as("nothing after the cursor expired").isTrue();
        assertThat(fromStart.complete()).as("message 1 expired").isFalse();
    }

    @Test
    void eachBrokerInstanceHasItsOwnEpoch() throws Exception {
        MemoryBroker other = new MemoryBroker(CONFIG);
        String mine = await(broker.publish("a", "1", null)).epoch();

        assertThat(await(other.publish("a", "1", null)).epoch()).isNotEqualTo(mine).isEqualTo(other.epoch());
    }

    /** A clock the test moves by hand. */
    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
