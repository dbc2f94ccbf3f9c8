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
        MemoryBroker ttlBroker = new MemoryBroker(HubConfig.DEFAULT_PRESENCE_TTL, clock);
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
    void allChannelsHistoryStaysWithinTheBudgetTheOldestLeavingFirst() throws Exception {
        String mebibyte = "x".repeat(1 << 20);
        long budget = 20L << 20;
        try (MemoryBroker budgeted = new MemoryBroker(HubConfig.DEFAULT_PRESENCE_TTL, Clock.systemUTC(), budget, Duration.ZERO)) {
            // The probe's flood: 1 MiB publications to 10 channels, far past the budget.
            for (int i = 0; i < 100; i++) {
                await(budgeted.publish("flood-" + (i % 10), "\"" + mebibyte + "\"", null, OPTIONS));
                assertThat(budgeted.historyBytes()).as("after publication %d", i).isLessThanOrEqualTo(budget);
            }
            // The last publication went to flood-9: it is kept; flood-0 was published to before it and went first.
            assertThat(await(budgeted.history("flood-9", null, 100)).messages()).extracting(Message::offset).contains(10L);
            assertThat(await(budgeted.history("flood-0", null, 100)).messages()).as("the oldest leave first").isEmpty();
            assertThat(await(budgeted.history("flood-0", null, 100)).position().offset()).as("offsets go on").isEqualTo(10);
        }
    }

    @Test
    void theSweepForgetsChannelsWithNothingLeftAndOneThatComesBackStartsANewEpoch() throws Exception {
        MutableClock clock = new MutableClock();
        try (MemoryBroker swept = new MemoryBroker(HubConfig.DEFAULT_PRESENCE_TTL, clock, 1L << 30, Duration.ZERO)) {
            PublishOptions briefly = new PublishOptions(10, Duration.ofSeconds(10));
            Message before = null;
            for (int i = 0; i < 10_000; i++) {
                Message m = await(swept.publish("one-off-" + i, "1", null, briefly));
                before = i == 0 ? m : before;
            }
            await(swept.subscribe("watched"));
            await(swept.subscribe("never-published"));
            await(swept.unsubscribe("never-published"));
            await(swept.publish("watched", "1", null, briefly));
            clock.advance(Duration.ofSeconds(11));

            swept.sweep();

            assertThat(swept.channelCount()).as("only the channel with a subscriber is kept").isEqualTo(1);
            assertThat(swept.historyBytes()).isZero();
            Message after = await(swept.publish("one-off-0", "2", null, briefly));
            assertThat(after.epoch()).as("a forgotten channel starts a new epoch").isNotEqualTo(before.epoch());
            assertThat(await(swept.history("one-off-0", before.position(), 10)).complete())
                    .as("a cursor from before the channel was forgotten is not recovered").isFalse();
            assertThat(await(swept.history("one-off-0", new StreamPosition(0, before.epoch()), 10)).messages())
                    .extracting(Message::offset).containsExactly(1L);
            assertThat(await(swept.publish("never-published", "1", null, briefly)).epoch())
                    .as("a channel forgotten before any publication has no offsets to confuse: same epoch").isEqualTo(swept.epoch());
        }
    }

    @Test
    void theSweepDropsExpiredPresenceToo() throws Exception {
        MutableClock clock = new MutableClock();
        try (MemoryBroker swept = new MemoryBroker(Duration.ofSeconds(30), clock, 1L << 30, Duration.ZERO)) {
            await(swept.addPresence("room", new ClientInfo("c1", "ann", null)));
            clock.advance(Duration.ofSeconds(31));
            swept.sweep();
            assertThat(swept.channelCount()).isZero();
        }
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
