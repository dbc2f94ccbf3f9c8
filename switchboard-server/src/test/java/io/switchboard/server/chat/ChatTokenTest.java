package io.switchboard.server.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.server.TestServer;
import io.switchboard.server.auth.TokenVerifier;
import io.switchboard.server.auth.TestTokens;
import io.switchboard.testkit.Frame;
import io.switchboard.testkit.RawWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static io.switchboard.server.http.HttpResponses.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code ws /chat} with connection tokens: a client with a verified token speaks as the token's
 * user whatever name it sends; a client without one (where the server serves anonymous clients)
 * keeps the lesson's behaviour, its own name shown.
 */
class ChatTokenTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final TestServer test = new TestServer(TestServer.config().tokens(TokenVerifier.hmac(TestTokens.SECRET)).anonymous(true));

    @AfterEach
    void stop() {
        test.close();
    }

    private static String token(String user) {
        return TestTokens.connection(user, Duration.ofMinutes(5));
    }

    private RawWebSocket join(String query, Map<String, String> headers) throws Exception {
        RawWebSocket client = RawWebSocket.connect(URI.create("ws://127.0.0.1:" + test.server().port() + "/chat" + query), headers, WAIT);
        assertThat(client.readFrame(WAIT).text()).isEqualTo("{\"type\":\"welcome\",\"message\":\"Connected!\"}");
        return client;
    }

    private static JsonNode next(RawWebSocket client) throws Exception {
        Frame frame = client.readFrame(WAIT);
        assertThat(frame).as("a message within %s", WAIT).isNotNull();
        return JSON.readTree(frame.text());
    }

    @Test
    void aClientWithATokenJoinsAndChatsAsItsTokensUserWhateverNameItSends() throws Exception {
        try (RawWebSocket alice = join("?token=" + token("alice"), Map.of()); RawWebSocket other = join("", Map.of())) {
            alice.send(Frame.text("{\"type\":\"join\",\"username\":\"admin\"}"));
            JsonNode joined = next(other);
            assertThat(joined.fieldNames()).toIterable().containsExactly("type", "username", "timestamp");
            assertThat(joined.get("username").asText()).isEqualTo("alice");

            alice.send(Frame.text("{\"type\":\"chat\",\"username\":\"admin\",\"message\":\"the server is down\"}"));
            JsonNode said = next(other);
            assertThat(said.fieldNames()).toIterable().containsExactly("type", "from", "message", "timestamp");
            assertThat(said.get("from").asText()).isEqualTo("alice");
            assertThat(said.get("message").asText()).isEqualTo("the server is down");
            assertThat(next(alice).get("from").asText()).as("the sender sees the same line").isEqualTo("alice");
        }
    }

    @Test
    void aConnectionIsClosedWith3000WhenItsTokenExpiresAndTheOthersStay() throws Exception {
        try (RawWebSocket alice = join("?token=" + TestTokens.connection("alice", Duration.ofSeconds(3)), Map.of());
             RawWebSocket other = join("", Map.of())) {
            Frame close;
            do {
                close = alice.readFrame(Duration.ofSeconds(10));
                assertThat(close).as("a close within 10 s").isNotNull();
            } while (close.opcode() != Frame.CLOSE);
            assertThat(close.closeCode()).isEqualTo(3000);
            assertThat(new String(close.closeReason(), StandardCharsets.UTF_8)).isEqualTo("token expired");

            other.send(Frame.text("{\"type\":\"chat\",\"username\":\"Rakibul\",\"message\":\"still here\"}"));
            assertThat(next(other).get("message").asText()).isEqualTo("still here");
        }
    }

    @Test
    void anAuthorizationHeaderBindsTheSenderTooEvenWithoutAUsername() throws Exception {
        try (RawWebSocket bob = join("", Map.of("Authorization", "Bearer " + token("bob"))); RawWebSocket other = join("", Map.of())) {
            bob.send(Frame.text("{\"type\":\"chat\",\"message\":\"hi\"}"));
            assertThat(next(other).get("from").asText()).isEqualTo("bob");
        }
    }

    @Test
    void aClientWithoutATokenKeepsTheLessonsBehaviourItsOwnNameShown() throws Exception {
        try (RawWebSocket anonymous = join("", Map.of()); RawWebSocket other = join("", Map.of())) {
            anonymous.send(Frame.text("{\"type\":\"join\",\"username\":\"Rakibul\"}"));
            assertThat(next(other).get("username").asText()).isEqualTo("Rakibul");
            anonymous.send(Frame.text("{\"type\":\"chat\",\"username\":\"Rakibul\",\"message\":\"hello\"}"));
            assertThat(next(other).get("from").asText()).isEqualTo("Rakibul");
        }
    }

    @Test
    void aBadTokenIsRefusedWith401BeforeTheUpgrade() {
        assertThatThrownBy(() -> RawWebSocket.connect(URI.create("ws://127.0.0.1:" + test.server().port() + "/chat?token=forged")))
                .isInstanceOfSatisfying(RawWebSocket.HandshakeException.class,
                        refused -> assertThat(refused.response().status()).isEqualTo(401));
    }
}
