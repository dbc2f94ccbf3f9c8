package io.switchboard.client;

import io.switchboard.websocket.ReadyState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReconnectingWebSocketTest {

    @RegisterExtension
    static final LocalServer local = new LocalServer();

    /** No jitter (always the ceiling), so the delays are the configured bounds themselves. */
    static final Backoff BACKOFF = Backoff.exponential(Duration.ofMillis(50), Duration.ofMillis(400), 2.0)
            .resetAfter(Duration.ofMinutes(1))
            .jitter(() -> 1.0);



    static URI echo(Relay relay) {
        return LocalServer.uri("ws", relay.port(), "/echo");
    }

    @Test
    void reconnectsWithGrowingBackoffAfterTheServerDropsConnections() throws Exception {
        try (Relay relay = new Relay(local.server().port())) {
            Recorder events = new Recorder();
            ReconnectingWebSocket socket = local.client().reconnecting(echo(relay), BACKOFF, events);
            assertThat(events.next()).isEqualTo("open OPEN");

            relay.refuse(true);
            long cutAt = System.nanoTime();
            relay.cut();
            assertThat(events.next()).isEqualTo("reconnect 0 CONNECTING");
            assertThat(socket.readyState()).isEqualTo(ReadyState.CONNECTING);
            assertThatThrownBy(() -> socket.send("while away")).isInstanceOf(IllegalStateException.class);
            for (int attempt = 1; attempt <= 4; attempt++) {
                assertThat(events.next()).isEqualTo("failure IOException");
                assertThat(events.next()).isEqualTo("reconnect " + attempt + " CONNECTING");
            }
            relay.refuse(false);
            assertThat(events.next()).isEqualTo("open OPEN");

            List<long[]> reconnects = events.reconnects();
            assertThat(reconnects).extracting(r -> Duration.ofNanos(r[1]))
                    .containsExactly(Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(200),
                            Duration.ofMillis(400), Duration.ofMillis(400));
            // Arrival 0 is the first connection; arrival i+1 is attempt i, never before its delay ran out.
            // Attempt i is scheduled after the cut (i = 0) or after attempt i-1 arrived and failed: those
            // instants come before the schedule, where the listener is told only after it.
            List<Long> arrivals = relay.arrivals();
            assertThat(arrivals).hasSize(6);
            for (int i = 0; i < reconnects.size(); i++) {
                long before = i == 0 ? cutAt : arrivals.get(i);
                assertThat(arrivals.get(i + 1) - before)
                        .as("attempt %d waited its backoff", i)
                        .isGreaterThanOrEqualTo(reconnects.get(i)[1]);
            }

            socket.send("back again");
            assertThat(events.next()).isEqualTo("text back again");
            socket.close(1000, "bye");
            assertThat(events.nextStartingWith("closed")).isEqualTo("closed 1000 bye CLOSED");
            assertThat(socket.readyState()).isEqualTo(ReadyState.CLOSED);
            assertThat(events.isQuiet()).isTrue();
        }
    }

    @Test
    void backoffStartsAgainOnceAConnectionStaysOpen() throws Exception {
        try (Relay relay = new Relay(local.server().port())) {
            Recorder events = new Recorder();
            ReconnectingWebSocket socket = local.client().reconnecting(echo(relay), BACKOFF.resetAfter(Duration.ZERO), events);
            assertThat(events.next()).isEqualTo("open OPEN");
            relay.refuse(true);
            relay.cut();
            assertThat(events.next()).isEqualTo("reconnect 0 CONNECTING");
            assertThat(events.next()).isEqualTo("failure IOException");
            assertThat(events.next()).isEqualTo("reconnect 1 CONNECTING");
            relay.refuse(false);
            assertThat(events.next()).isEqualTo("open OPEN");

            relay.cut();

            assertThat(events.next()).isEqualTo("reconnect 0 CONNECTING");
            assertThat(events.next()).isEqualTo("open OPEN");
            socket.close(1000, "");
            assertThat(events.nextStartingWith("closed")).isEqualTo("closed 1000  CLOSED");
        }
    }

    @Test
    void keepsCountingWhileConnectionsDieYoung() throws Exception {
        try (Relay relay = new Relay(local.server().port())) {
            Recorder events = new Recorder();
            ReconnectingWebSocket socket = local.client().reconnecting(echo(relay), BACKOFF, events);
            assertThat(events.next()).isEqualTo("open OPEN");
            relay.cut();
            assertThat(events.next()).isEqualTo("reconnect 0 CONNECTING");
            assertThat(events.next()).isEqualTo("open OPEN");

            relay.cut();

            assertThat(events.next()).isEqualTo("reconnect 1 CONNECTING");
            assertThat(events.next()).isEqualTo("open OPEN");
            socket.close(1000, "");
            assertThat(events.nextStartingWith("closed")).isEqualTo("closed 1000  CLOSED");
        }
    }

    @Test
    void closingWhileWaitingToReconnectEndsAtOnce() throws Exception {
        try (Relay relay = new Relay(local.server().port())) {
            Recorder events = new Recorder();
            Backoff slow = Backoff.exponential(Duration.ofMinutes(1), Duration.ofMinutes(1), 1.0).jitter(() -> 1.0);
            ReconnectingWebSocket socket = local.client().reconnecting(echo(relay), slow, events);
            assertThat(events.next()).isEqualTo("open OPEN");
            relay.cut();
            assertThat(events.next()).isEqualTo("reconnect 0 CONNECTING");

            socket.close(1000, "giving up");

            assertThat(events.next()).isEqualTo("closed 1000 giving up CLOSED");
            assertThat(relay.arrivals()).hasSize(1);
        }
    }

    @Test
    void closingTheClientSaysGoingAwayAndStopsReconnecting() throws Exception {
        SwitchboardClient own = new SwitchboardClient();
        Recorder events = new Recorder();
        ReconnectingWebSocket socket = own.reconnecting(local.uri("ws", "/echo"), BACKOFF, events);
        assertThat(events.next()).isEqualTo("open OPEN");

        own.close();

        // The server's reply echoes the client's code and reason.
        assertThat(events.next()).isEqualTo("closing 1001 client closing CLOSING");
        assertThat(events.next()).isEqualTo("closed 1001 client closing CLOSED");
        assertThat(socket.readyState()).isEqualTo(ReadyState.CLOSED);
        assertThat(events.reconnects()).isEmpty();
    }

    @Test
    void aRefusedHandshakeStopsForGood() throws Exception {
        Recorder events = new Recorder();
        ReconnectingWebSocket socket = local.client().reconnecting(
                local.uri("ws", "/no-such-endpoint"), BACKOFF, events);

        assertThat(events.next()).isEqualTo("failure WebSocketHandshakeException");
        assertThat(events.next()).isEqualTo("closed 1006  CLOSED");
        assertThat(socket.readyState()).isEqualTo(ReadyState.CLOSED);
        assertThat(events.reconnects()).isEmpty();
    }
}
