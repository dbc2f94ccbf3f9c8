package io.switchboard.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.client.channel.ChannelClient;
import io.switchboard.client.channel.History;
import io.switchboard.client.channel.Member;
import io.switchboard.core.StreamPosition;
import io.switchboard.testkit.RawWebSocket;
import io.switchboard.websocket.CloseCode;
import io.switchboard.websocket.ReadyState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every example of docs/client.md against a real server, checks what each delivers (what
 * its callbacks print, what other clients receive), and checks the document shows them as they are here.
 */
class ClientDocTest {

    @RegisterExtension
    static final LocalServer local = new LocalServer();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(5);

    static void waitUntil(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting until " + what).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void everyJavaExampleInTheDocumentIsInThisTest() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "client.md"));
        String source = Files.readString(Path.of("src", "test", "java", "io", "switchboard", "client", "ClientDocTest.java"));
        String code = source.replaceAll("(?m)^ +", "");
        Matcher blocks = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(doc);
        int count = 0;
        while (blocks.find()) {
            count++;
            assertThat(code).as("example %d of docs/client.md", count).contains(blocks.group(1).replaceAll("(?m)^ +", ""));
        }
        assertThat(count).isEqualTo(5);
    }

    /** Another chat client, already welcomed, to see what the example's messages become. */
    private static RawWebSocket otherChatClient() throws Exception {
        RawWebSocket other = RawWebSocket.connect(local.uri("ws", "/chat"));
        assertThat(other.readFrame(WAIT).text()).isEqualTo("{\"type\":\"welcome\",\"message\":\"Connected!\"}");
        return other;
    }

    private static JsonNode nextJson(RawWebSocket webSocket) throws Exception {
        return JSON.readTree(webSocket.readFrame(WAIT).text());
    }

    @Test
    void chatExample() throws Exception {
        try (Printed printed = Printed.capture(); RawWebSocket other = otherChatClient()) {
            URI uri = local.uri("ws", "/chat");
            SwitchboardClient client = new SwitchboardClient(new ClientConfig().pingInterval(Duration.ofSeconds(30)));
            ClientWebSocket socket = client.connect(uri, new ClientListener() {
                @Override
                public void onOpen(ClientWebSocket webSocket) {
                    webSocket.send("{\"type\":\"join\",\"username\":\"Rakibul\"}");
                }

                @Override
                public void onMessage(ClientWebSocket webSocket, String text) {
                    System.out.println("received " + text);
                }

                @Override
                public void onClosed(ClientWebSocket webSocket, int code, String reason) {
                    System.out.println("Disconnected: " + code + " " + reason);
                }
            });
            waitUntil("open", () -> socket.readyState() == ReadyState.OPEN);
            printed.await("the welcome", line -> line.equals("received {\"type\":\"welcome\",\"message\":\"Connected!\"}"));

            if (socket.readyState() == ReadyState.OPEN) {
                socket.send("{\"type\":\"chat\",\"username\":\"Rakibul\",\"message\":\"hello\"}");
            }
            socket.close(CloseCode.NORMAL, "bye");

            waitUntil("closed", () -> socket.readyState() == ReadyState.CLOSED);
            printed.await("the close", line -> line.startsWith("Disconnected: 1000"));
            client.close();

            // The other client was told of the join, then received the chat message.
            JsonNode join = nextJson(other);
            assertThat(join.get("type").asText()).isEqualTo("join");
            assertThat(join.get("username").asText()).isEqualTo("Rakibul");
            JsonNode chat = nextJson(other);
            assertThat(chat.get("type").asText()).isEqualTo("chat");
            assertThat(chat.get("from").asText()).isEqualTo("Rakibul");
            assertThat(chat.get("message").asText()).isEqualTo("hello");
        }
    }

    @Test
    void reconnectingExample() throws Exception {
        try (RawWebSocket other = otherChatClient()) {
            SwitchboardClient client = local.client();
            URI uri = local.uri("ws", "/chat");
            Backoff backoff = Backoff.exponential(Duration.ofMillis(500), Duration.ofSeconds(30), 2.0);
            ReconnectingWebSocket socket = client.reconnecting(uri, backoff, new ReconnectingWebSocket.Listener() {
                @Override
                public void onOpen(ClientWebSocket webSocket) {
                    webSocket.send("{\"type\":\"join\",\"username\":\"Rakibul\"}"); // on every (re)connection
                }

                @Override
                public void onReconnect(ReconnectingWebSocket webSocket, int attempt, Duration delay) {
                    System.out.println("connection lost; attempt " + attempt + " in " + delay.toMillis() + " ms");
                }
            });
            waitUntil("open", () -> socket.readyState() == ReadyState.OPEN);
            JsonNode join = nextJson(other);
            assertThat(join.get("type").asText()).isEqualTo("join");
            assertThat(join.get("username").asText()).isEqualTo("Rakibul");
            socket.close(CloseCode.NORMAL, "");
            waitUntil("closed", () -> socket.readyState() == ReadyState.CLOSED);
        }
    }

    @Test
    void eventSourceExample() throws Exception {
        try (Printed printed = Printed.capture()) {
            SwitchboardClient client = local.client();
            URI uri = local.uri("http", "/sse?channel=news");
            EventSource source = client.eventSource(uri, new EventSource.Listener() {
                @Override
                public void onMessage(EventSource eventSource, EventSource.Event event) {
                    System.out.println(event.type() + " " + event.data() + " (cursor " + event.lastEventId() + ")");
                }

                @Override
                public void onError(EventSource eventSource, Throwable cause) {
                    System.out.println("stream " + eventSource.readyState() + ": " + cause.getMessage());
                }
            });
            waitUntil("open", () -> source.readyState() == EventSource.State.OPEN);
            String cursor = local.publish("news", "{\"title\":\"Hello\"}");
            printed.await("the publication", line -> line.equals("news {\"title\":\"Hello\"} (cursor " + cursor + ")"));
            source.close();
            assertThat(source.readyState()).isEqualTo(EventSource.State.CLOSED);
        }
    }

    @Test
    void channelClientExample() throws Exception {
        try (Printed printed = Printed.capture()) {
            SwitchboardClient client = local.client();
            URI uri = local.uri("ws", "/ws");
            Backoff backoff = Backoff.exponential(Duration.ofMillis(500), Duration.ofSeconds(30), 2.0);
            java.util.function.Supplier<String> tokens = () -> local.token("alice", Duration.ofHours(1));
            ChannelClient channels = ChannelClient.connect(client, uri, backoff, tokens);
            channels.subscribe("news", publication -> System.out.println(publication.data()), null).join(); // once connected
            StreamPosition position = channels.publish("news", "{\"title\":\"Hello\",\"price\":142.50}").join();
            History history = channels.history("news", null, 100).join();
            List<Member> present = channels.presence("news").join();

            assertThat(history.publications()).extracting(p -> p.data()).contains("{\"title\":\"Hello\",\"price\":142.50}");
            assertThat(history.position().offset()).isGreaterThanOrEqualTo(position.offset());
            assertThat(present).extracting(Member::user).containsExactly("alice");
            printed.await("the publication, delivered to the subscription", line -> line.equals("{\"title\":\"Hello\",\"price\":142.50}"));
            channels.close();
        }
    }
}
