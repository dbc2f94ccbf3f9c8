package io.switchboard.websocket;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The close handshake as one state: each direction shuts once, in either order. */
class SessionStateTest {

    @Test
    void sendingThenReceivingACloseExchangesBoth() {
        SessionState sent = SessionState.OPEN.closeSent();
        assertThat(sent).isEqualTo(SessionState.CLOSE_SENT);
        assertThat(sent.closeReceived()).isEqualTo(SessionState.CLOSE_EXCHANGED);
    }

    @Test
    void receivingThenSendingACloseExchangesBoth() {
        SessionState received = SessionState.OPEN.closeReceived();
        assertThat(received).isEqualTo(SessionState.CLOSE_RECEIVED);
        assertThat(received.isCloseSent()).isFalse();
        assertThat(received.closeSent()).isEqualTo(SessionState.CLOSE_EXCHANGED);
    }

    @Test
    void aSecondCloseInTheSameDirectionChangesNothing() {
        assertThat(SessionState.CLOSE_SENT.closeSent()).isEqualTo(SessionState.CLOSE_SENT);
        assertThat(SessionState.CLOSE_RECEIVED.closeReceived()).isEqualTo(SessionState.CLOSE_RECEIVED);
        assertThat(SessionState.CLOSED.closeSent()).isEqualTo(SessionState.CLOSED);
    }

    @Test
    void everyHalfClosedStateIsClosingToTheBrowserApi() {
        assertThat(SessionState.CONNECTING.readyState()).isEqualTo(ReadyState.CONNECTING);
        assertThat(SessionState.OPEN.readyState()).isEqualTo(ReadyState.OPEN);
        assertThat(SessionState.CLOSE_SENT.readyState()).isEqualTo(ReadyState.CLOSING);
        assertThat(SessionState.CLOSE_RECEIVED.readyState()).isEqualTo(ReadyState.CLOSING);
        assertThat(SessionState.CLOSE_EXCHANGED.readyState()).isEqualTo(ReadyState.CLOSING);
        assertThat(SessionState.CLOSED.readyState()).isEqualTo(ReadyState.CLOSED);
    }
}
