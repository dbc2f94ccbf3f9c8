package io.switchboard.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.it.JdkClient.Binary;
import io.switchboard.it.JdkClient.Event;
import io.switchboard.it.JdkClient.Pong;
import io.switchboard.it.JdkClient.Text;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static io.switchboard.it.ExternalClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/** The JDK's {@link java.net.http.WebSocket}, a client nobody on this project wrote, against /echo and /chat. */
class JdkWebSocketInteropTest {

    @RegisterExtension
    static final LoopbackServer server = new LoopbackServer();

    static JdkClient connect(String path) {
        return JdkClient.connect(server.webSocketUrl(path));
    }

    @Test
    void echoesTextAndBinaryUnchanged() throws Exception {
        JdkClient client = connect("/echo");

        client.socket.sendText("héllo ✓ 👋", true).get(5, TimeUnit.SECONDS);
        assertThat(client.next()).isEqualTo(new Text("héllo ✓ 👋"));

        byte[] bytes = {0, 1, 2, (byte) 0x80, (byte) 0xfe, (byte) 0xff};
        client.socket.sendBinary(ByteBuffer.wrap(bytes), true).get(5, TimeUnit.SECONDS);
        Event binary = client.next();
        assertThat(binary).isInstanceOf(Binary.class);
        assertThat(((Binary) binary).bytes()).containsExactly(bytes);

        client.socket.sendClose(1000, "").get(5, TimeUnit.SECONDS);
        assertThat(client.awaitClose().code()).isEqualTo(1000);
    }

    @Test
    void echoesAFragmentedTextMessageAsTheWholeMessage() throws Exception {
        JdkClient client = connect("/echo");

        // Three frames (text, continuation, continuation): the echo is one reassembled message.
        client.socket.sendText("frag", false).get(5, TimeUnit.SECONDS);
        client.socket.sendText("men", false).get(5, TimeUnit.SECONDS);
        client.socket.sendText("ted ✓", true).get(5, TimeUnit.SECONDS);

        assertThat(client.next()).isEqualTo(new Text("fragmented ✓"));
        client.socket.sendClose(1000, "").get(5, TimeUnit.SECONDS);
        client.awaitClose();
    }

    @Test
    void echoesAFragmentedBinaryMessageAsTheWholeMessage() throws Exception {
        JdkClient client = connect("/echo");

        client.socket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2}), false).get(5, TimeUnit.SECONDS);
        client.socket.sendBinary(ByteBuffer.wrap(new byte[] {3}), false).get(5, TimeUnit.SECONDS);
        client.socket.sendBinary(ByteBuffer.wrap(new byte[] {4, 5}), true).get(5, TimeUnit.SECONDS);

        Event event = client.next();
        assertThat(event).isInstanceOf(Binary.class);
        assertThat(((Binary) event).bytes()).containsExactly(1, 2, 3, 4, 5);
        client.socket.sendClose(1000, "").get(5, TimeUnit.SECONDS);
        client.awaitClose();
    }

    @Test
    void answersPingWithPongCarryingTheSamePayload() throws Exception {
        JdkClient client = connect("/echo");
        byte[] payload = "are you there?".getBytes(StandardCharsets.UTF_8);

        client.socket.sendPing(ByteBuffer.wrap(payload)).get(5, TimeUnit.SECONDS);

        Event event = client.next();
        assertThat(event).isInstanceOf(Pong.class);
        assertThat(((Pong) event).bytes()).containsExactly(payload);
        client.socket.sendClose(1000, "").get(5, TimeUnit.SECONDS);
        client.awaitClose();
    }

    @Test
    void answersACloseWithTheSameCode() throws Exception {
        JdkClient client = connect("/echo");

        client.socket.sendClose(4000, "done here ✓").get(5, TimeUnit.SECONDS);

        // RFC 6455 5.5.1: the answer echoes the status code; echoing the reason is optional.
        assertThat(client.awaitClose().code()).isEqualTo(4000);
    }

    @Test
    void chatWelcomesEachClientAndBroadcastsOneChatToBoth() throws Exception {
        JdkClient alice = connect("/chat");
        JdkClient bob = connect("/chat");
        JsonNode welcome = JSON.createObjectNode().put("type", "welcome").put("message", "Connected!");
        assertThat(JSON.readTree(alice.nextText())).isEqualTo(welcome);
        assertThat(JSON.readTree(bob.nextText())).isEqualTo(welcome);

        alice.socket.sendText("{\"type\":\"chat\",\"username\":\"alice\",\"message\":\"hi bob\"}", true)
                .get(5, TimeUnit.SECONDS);

        String toAlice = alice.nextText();
        String toBob = bob.nextText();
        JsonNode chat = JSON.readTree(toBob);
        assertThat(chat.path("type").asText()).isEqualTo("chat");
        assertThat(chat.path("from").asText()).isEqualTo("alice");
        assertThat(chat.path("message").asText()).isEqualTo("hi bob");
        assertThat(chat.path("timestamp").isIntegralNumber()).as("timestamp is epoch millis: %s", chat).isTrue();
        assertThat(toAlice).as("the sender gets the same broadcast").isEqualTo(toBob);

        alice.socket.sendClose(1000, "").get(5, TimeUnit.SECONDS);
        bob.socket.sendClose(1000, "").get(5, TimeUnit.SECONDS);
        assertThat(alice.awaitClose().code()).isEqualTo(1000);
        assertThat(bob.awaitClose().code()).isEqualTo(1000);
    }

    @Test
    void chatAnnouncesAJoinToTheOthersOnly() throws Exception {
        JdkClient alice = connect("/chat");
        JdkClient bob = connect("/chat");
        alice.nextText();
        bob.nextText();

        alice.socket.sendText("{\"type\":\"join\",\"username\":\"alice\"}", true).get(5, TimeUnit.SECONDS);

        String announcement = bob.nextText();
        assertThat(announcement).contains("alice");
        // A chat sent after the join is the next thing alice receives: she was not told of her own join.
        bob.socket.sendText("{\"type\":\"chat\",\"username\":\"bob\",\"message\":\"welcome alice\"}", true)
                .get(5, TimeUnit.SECONDS);
        assertThat(JSON.readTree(alice.nextText()).path("type").asText()).isEqualTo("chat");

        alice.socket.sendClose(1000, "").get(5, TimeUnit.SECONDS);
        bob.socket.sendClose(1000, "").get(5, TimeUnit.SECONDS);
        alice.awaitClose();
        bob.awaitClose();
    }
}
