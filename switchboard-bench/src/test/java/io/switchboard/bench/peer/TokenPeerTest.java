package io.switchboard.bench.peer;

import io.switchboard.testkit.RawWebSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.ServerSocket;
import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The token-verifying Switchboard peers really verify: their own token opens /ws, another kind is refused. */
class TokenPeerTest {

    @ParameterizedTest
    @CsvSource({"switchboard+hs256, switchboard+rs256", "switchboard+rs256, switchboard+hs256"})
    void opensWsWithItsOwnTokenOrNoneAndRefusesTheOtherKind(String name, String other) throws Exception {
        String otherToken = Peers.byName(other).connectionToken();
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (Peer peer = Peers.byName(name)) {
            peer.start(port);

            assertThat(peer.connectionToken()).isNotBlank().isNotEqualTo(otherToken);
            try (RawWebSocket ws = RawWebSocket.connect(URI.create("ws://127.0.0.1:" + port + "/ws?token=" + peer.connectionToken()))) {
                assertThat(ws.handshakeResponse().status()).isEqualTo(101);
            }
            try (RawWebSocket ws = RawWebSocket.connect(URI.create("ws://127.0.0.1:" + port + "/ws"))) {
                assertThat(ws.handshakeResponse().status()).as("anonymous clients are still served").isEqualTo(101);
            }
            assertThatThrownBy(() -> RawWebSocket.connect(URI.create("ws://127.0.0.1:" + port + "/ws?token=" + otherToken)))
                    .isInstanceOfSatisfying(RawWebSocket.HandshakeException.class,
                            refused -> assertThat(refused.response().status()).isEqualTo(401));
        }
    }

    @Test
    void aPeerFromAJarNamesItsLabelAndNeedsTheJar() {
        assertThatThrownBy(() -> Peers.byName("before=no/such/switchboard.jar"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("before");
        assertThat(Peers.byName("switchboard").connectionToken()).isNull();
    }
}
