package io.switchboard.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.util.List;

import static io.switchboard.it.ExternalClient.event;
import static org.assertj.core.api.Assertions.assertThat;

/** Node's {@code ws} package (pinned by package-lock.json, installed by the build) as a client. */
class NodeWsInteropTest {

    static final Path NODE_DIR = Path.of(System.getProperty("switchboard.node.dir", "src/test/node"));
    @RegisterExtension
    static final LoopbackServer server = new LoopbackServer();

    static List<JsonNode> runClient(String mode) throws Exception {
        return ExternalClient.run(NODE_DIR, List.of("node", "ws-client.mjs", mode, server.webSocketUrl("")));
    }

    @Test
    void echoReturnsTextBinaryAndA70000ByteMessageUnchangedAndEchoesClose1000() throws Exception {
        List<JsonNode> records = runClient("echo");

        assertThat(event(records, "open").path("extensions").asText()).as("no extension offered, none accepted").isEmpty();
        JsonNode text = event(records, "text");
        assertThat(text.path("isBinary").asBoolean()).isFalse();
        assertThat(text.path("data").asText()).isEqualTo("héllo ✓ 👋");
        JsonNode binary = event(records, "binary");
        assertThat(binary.path("isBinary").asBoolean()).isTrue();
        assertThat(binary.path("hex").asText()).isEqualTo("000102feff");
        JsonNode large = event(records, "large");
        assertThat(large.path("length").asInt()).isEqualTo(70000);
        assertThat(large.path("equal").asBoolean()).isTrue();
        JsonNode close = event(records, "close");
        assertThat(close.path("code").asInt()).isEqualTo(1000);
    }

    @Test
    void chatWelcomesBothClientsAndBroadcastsAliceMessageToBoth() throws Exception {
        List<JsonNode> records = runClient("chat");

        for (String client : List.of("alice", "bob")) {
            List<JsonNode> received = records.stream()
                    .filter(r -> client.equals(r.path("client").asText()) && "message".equals(r.path("event").asText()))
                    .map(r -> r.path("data")).toList();
            assertThat(received).as("%s's messages", client).isNotEmpty();
            assertThat(received.get(0)).isEqualTo(ExternalClient.JSON.createObjectNode()
                    .put("type", "welcome").put("message", "Connected!"));
            JsonNode chat = received.get(received.size() - 1);
            assertThat(chat.path("type").asText()).isEqualTo("chat");
            assertThat(chat.path("from").asText()).isEqualTo("alice");
            assertThat(chat.path("message").asText()).isEqualTo("hi from node");
            assertThat(chat.path("timestamp").isIntegralNumber()).as("timestamp is epoch millis").isTrue();
            assertThat(received.stream().filter(m -> "chat".equals(m.path("type").asText()))).hasSize(1);
        }
    }

    @Test
    void permessageDeflateIsNegotiatedAndTheEchoArrivesCompressed() throws Exception {
        List<JsonNode> records = runClient("deflate");

        assertThat(event(records, "open").path("extensions").asText()).startsWith("permessage-deflate");
        JsonNode echo = event(records, "echo");
        assertThat(echo.path("equal").asBoolean()).isTrue();
        assertThat(echo.path("wireBytes").asInt())
                .as("bytes on the wire for a %d-char repetitive message", echo.path("length").asInt())
                .isLessThan(echo.path("length").asInt() / 4);
        assertThat(event(records, "close").path("code").asInt()).isEqualTo(1000);
    }
}
