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
    protected Broker newBroker(Duration presenceTtl) {
        return new MemoryBroker(presenceTtl, Clock.systemUTC());
    }

    @Test
    void historyDropsMessagesOlderThanTheTtl() throws Exception {
        MutableClock clock = new MutableClock();
        MemoryBroker ttlBroker = new MemoryBroker(Broker.DEFAULT_PRESENCE_TTL, clock);
        PublishOptions keptAMinute = new PublishOptions(100, Duration.ofSeconds(60));
        Message first = await(ttlBroker.publish("a", "1", null, keptAMinute));
        clock.advance(Duration.ofSeconds(30));
        await(ttlBroker.publish("a", "2", null, keptAMinute));
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
        MemoryBroker other = new MemoryBroker(HubConfig.defaults());
        String mine = await(broker.publish("a", "1", null, OPTIONS)).epoch();

        assertThat(await(other.publish("a", "1", null, OPTIONS)).epoch()).isNotEqualTo(mine).isEqualTo(other.epoch());
    }

    @Test
    void allChannelsShareTheBrokersEpoch() throws Exception {
        Message a = await(broker.publish("a", "1", null, OPTIONS));
        Message b = await(broker.publish("b", "1", null, OPTIONS));

        assertThat(a.epoch()).isEqualTo(b.epoch()).isEqualTo(((MemoryBroker) broker).epoch());
    }

    @Test
    void presenceExpiresOnTheBrokersClockUnlessAddedAgain() throws Exception {
        MutableClock clock = new MutableClock();
        MemoryBroker timed = new MemoryBroker(Duration.ofSeconds(30), clock);
        ClientInfo ann = new ClientInfo("c1", "ann", null);
        ClientInfo bob = new ClientInfo("c2", "bob", null);
        await(timed.addPresence("a", ann));
        await(timed.addPresence("a", bob));
        clock.advance(Duration.ofSeconds(20));
        await(timed.addPresence("a", ann));
        clock.advance(Duration.ofSeconds(15));

        assertThat(await(timed.presence("a"))).containsExactly(ann);
        clock.advance(Duration.ofSeconds(15));
        assertThat(await(timed.presence("a"))).isEmpty();
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
