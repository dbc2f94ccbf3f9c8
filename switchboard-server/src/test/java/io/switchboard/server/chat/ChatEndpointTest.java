package io.switchboard.server.chat;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.server.TestServer;
import io.switchboard.testkit.Frame;
import io.switchboard.testkit.RawWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static io.switchboard.server.http.HttpResponses.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code ws /chat}: what the lesson's other clients receive. */
class ChatEndpointTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private final TestServer test = new TestServer(TestServer.config());

    @AfterEach
    void stop() {
        test.close();
    }

    private RawWebSocket join() throws Exception {
        RawWebSocket client = RawWebSocket.connect(URI.create("ws://127.0.0.1:" + test.server().port() + "/chat"));
        assertThat(client.readFrame(WAIT).text()).isEqualTo("{\"type\":\"welcome\",\"message\":\"Connected!\"}");
        return client;
    }

    @Test
    void aJoinIsAnnouncedToTheOthersAsTypeUsernameAndTimestampButNotToItsSender() throws Exception {
        try (RawWebSocket joining = join(); RawWebSocket other = join()) {
            long before = System.currentTimeMillis();
            joining.send(Frame.text("{\"type\":\"join\",\"username\":\"Rakibul\"}"));

            Frame announced = other.readFrame(WAIT);
            long after = System.currentTimeMillis();
            assertThat(announced.opcode()).isEqualTo(Frame.TEXT);
            JsonNode join = JSON.readTree(announced.text());
            assertThat(join.fieldNames()).toIterable().containsExactly("type", "username", "timestamp");
            assertThat(join.get("type").asText()).isEqualTo("join");
            assertThat(join.get("username").asText()).isEqualTo("Rakibul");
            assertThat(join.get("timestamp").isIntegralNumber()).as("milliseconds since the epoch: %s", join).isTrue();
            assertThat(join.get("timestamp").asLong()).isBetween(before, after);

            // The sender's next frame is the chat broadcast that follows, not its own join.
            other.send(Frame.text("{\"type\":\"chat\",\"username\":\"Other\",\"message\":\"welcome, Rakibul\"}"));
            JsonNode next = JSON.readTree(joining.readFrame(WAIT).text());
            assertThat(next.get("type").asText()).isEqualTo("chat");
            assertThat(next.get("from").asText()).isEqualTo("Other");
            assertThat(next.get("message").asText()).isEqualTo("welcome, Rakibul");
        }
    }
}
