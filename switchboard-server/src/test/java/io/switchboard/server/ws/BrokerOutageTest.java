package io.switchboard.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.Broker;
import io.switchboard.core.BrokerUnavailableException;
import io.switchboard.core.ClientInfo;
import io.switchboard.core.HistoryResult;
import io.switchboard.core.HubConfig;
import io.switchboard.core.MemoryBroker;
import io.switchboard.core.Message;
import io.switchboard.core.PublishOptions;
import io.switchboard.core.StreamPosition;
import io.switchboard.core.access.Namespace;
import io.switchboard.server.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import static io.switchboard.server.TestServer.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * While the broker cannot be reached (Redis down), publishing answers "unavailable" on every
 * transport at once, and connected clients stay connected.
 */
class BrokerOutageTest {

    /** A memory broker whose publications fail as a shared broker's do while its server is away. */
    private static final class UnreachableBroker implements Broker {
        private final MemoryBroker memory = new MemoryBroker(HubConfig.defaults());

        @Override public Duration presenceTtl() { return memory.presenceTtl(); }
        @Override public void listen(Listener listener) { memory.listen(listener); }
        @Override public CompletionStage<Void> subscribe(String channel) { return memory.subscribe(channel); }
        @Override public CompletionStage<Void> unsubscribe(String channel) { return memory.unsubscribe(channel); }
        @Override public CompletionStage<HistoryResult> history(String channel, StreamPosition since, int limit) { return memory.history(channel, since, limit); }
        @Override public CompletionStage<Void> addPresence(String channel, ClientInfo client) { return memory.addPresence(channel, client); }
        @Override public CompletionStage<Void> removePresence(String channel, ClientInfo client) { return memory.removePresence(channel, client); }
        @Override public CompletionStage<List<ClientInfo>> presence(String channel) { return memory.presence(channel); }
        @Override public void close() { memory.close(); }

        @Override
        public CompletionStage<Message> publish(String channel, String data, String origin, PublishOptions options) {
            return CompletableFuture.failedFuture(new BrokerUnavailableException("Redis at 127.0.0.1:6379 is unavailable", null));
        }
    }

    private final TestServer http = new TestServer(TestServer.config()
            .broker(hub -> new UnreachableBroker())
            .namespaces(List.of(Namespace.open("", 10, Duration.ofMinutes(10)).withClientPublish(true))));

    @AfterEach
    void stop() {
        http.close();
    }

    @Test
    void publishingAnswers503UnavailableOverHttp() throws Exception {
        assertError(http.post("/api/publish", "{\"channel\":\"news\",\"data\":1}"), 503, "unavailable");
        assertError(http.post("/api/notifications", "{\"text\":\"hi\"}"), 503, "unavailable");
    }

    @Test
    void aWsPublishGetsErrorUnavailableAndTheConnectionStaysOpen() throws Exception {
        try (WsClient client = WsClient.connect(http.server())) {
            JsonNode refused = client.request("{\"id\":1,\"publish\":{\"channel\":\"news\",\"data\":1}}");
            JsonNode history = client.request("{\"id\":2,\"history\":{\"channel\":\"news\",\"limit\":0}}");

            assertThat(refused.path("id").asLong()).isEqualTo(1);
            assertThat(refused.path("error").path("code").asInt()).isEqualTo(112);
            assertThat(refused.path("error").path("message").asText()).contains("unavailable");
            assertThat(history.path("id").asLong()).as("the connection still answers: %s", history).isEqualTo(2);
            assertThat(history.has("history")).as("%s", history).isTrue();
        }
    }
}
