package io.switchboard.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.Broker;
import io.switchboard.core.ClientInfo;
import io.switchboard.core.HistoryResult;
import io.switchboard.core.Message;
import io.switchboard.core.MemoryBroker;
import io.switchboard.core.PublishOptions;
import io.switchboard.core.StreamPosition;
import io.switchboard.testkit.Frame;
import io.switchboard.testkit.RawWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

import static io.switchboard.server.TestServer.assertError;
import static io.switchboard.server.http.HttpResponses.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * When memory runs out while a request is answered (the probe saw {@code since=0} polls fail with
 * {@code OutOfDirectMemoryError} and never answered, logged at DEBUG): the request is still
 * answered, and the operator reads a warning.
 */
class AllocationFailureTest {

    /** The channel whose history reads run out of memory, as a read of a huge stream can. */
    private static final String HUGE = "huge";

    private final TestServer http = new TestServer(TestServer.config().broker(hub -> new OutOfMemoryReading(new MemoryBroker(hub))));

    @AfterEach
    void stop() {
        http.close();
    }

    @Test
    void aPollThatRunsOutOfMemoryIsAnswered503JsonAndLoggedAsAWarning() throws Exception {
        Message first = http.publish(HUGE, "\"a message\"");

        HttpResponse<String> response;
        try (LogCapture log = LogCapture.of("io.switchboard", Level.INFO)) {
            response = http.get("/poll?channel=" + HUGE + "&wait=30&since=0:" + first.epoch());

            assertError(response, 503, "unavailable");
            List<ILoggingEvent> warnings = log.atLeast(Level.WARN);
            assertThat(warnings).as("what the operator reads").hasSize(1);
            assertThat(warnings.get(0).getFormattedMessage()).contains("out of memory");
            assertThat(warnings.get(0).getThrowableProxy().getClassName()).isEqualTo(OutOfMemoryError.class.getName());
        }
        assertThat(response.body()).doesNotContain("OutOfMemoryError").doesNotContain("direct buffer");

        // The server goes on serving.
        assertThat(http.get("/poll?channel=other&wait=0").statusCode()).isEqualTo(200);
        assertThat(http.server().heldPollCount()).isZero();
    }

    @Test
    void aWsHistoryCommandThatRunsOutOfMemoryIsAnsweredWithAnErrorReplyAndLoggedAsAWarning() throws Exception {
        Message first = http.publish(HUGE, "\"a message\"");

        try (LogCapture log = LogCapture.of("io.switchboard", Level.INFO);
             RawWebSocket webSocket = RawWebSocket.connect(URI.create("ws://127.0.0.1:" + http.server().port() + "/ws"))) {
            assertThat(text(webSocket)).contains("\"connect\"");
            webSocket.send(Frame.text("{\"id\":1,\"subscribe\":{\"channel\":\"calm\"}}"));
            assertThat(text(webSocket)).contains("\"subscribe\"");
            webSocket.send(Frame.text("{\"id\":2,\"history\":{\"channel\":\"" + HUGE
                    + "\",\"since\":\"0:" + first.epoch() + "\",\"limit\":100}}"));

            JsonNode reply = JSON.readTree(text(webSocket));
            assertThat(reply.path("id").asLong()).as("%s", reply).isEqualTo(2);
            assertThat(reply.path("error").path("name").asText()).as("%s", reply).isEqualTo("unavailable");
            List<ILoggingEvent> warnings = log.atLeast(Level.WARN);
            assertThat(warnings).as("what the operator reads").hasSize(1);
            assertThat(warnings.get(0).getFormattedMessage()).contains("out of memory");

            // The connection goes on serving.
            webSocket.send(Frame.text("{\"id\":3,\"history\":{\"channel\":\"calm\",\"limit\":1}}"));
            assertThat(JSON.readTree(text(webSocket)).path("id").asLong()).isEqualTo(3);
        }
    }

    private static String text(RawWebSocket webSocket) throws Exception {
        while (true) {
            Frame frame = webSocket.readFrame(Duration.ofSeconds(10));
            assertThat(frame).as("a message within 10 s").isNotNull();
            if (frame.opcode() == Frame.TEXT) {
                return frame.text();
            }
        }
    }

    /** An in-memory broker whose reads of {@link #HUGE}'s history fail as the JVM does when the memory for them is not there. */
    private record OutOfMemoryReading(MemoryBroker broker) implements Broker {

        @Override
        public CompletionStage<HistoryResult> history(String channel, StreamPosition since, int limit) {
            if (channel.equals(HUGE) && limit > 0) {
                throw new OutOfMemoryError("Cannot reserve 16777216 bytes of direct buffer memory (allocated: 1073741824, limit: 1073741824)");
            }
            return broker.history(channel, since, limit);
        }

        @Override public void listen(Listener listener) { broker.listen(listener); }
        @Override public CompletionStage<Void> subscribe(String channel) { return broker.subscribe(channel); }
        @Override public CompletionStage<Void> unsubscribe(String channel) { return broker.unsubscribe(channel); }
        @Override public Duration presenceTtl() { return broker.presenceTtl(); }
        @Override public CompletionStage<Message> publish(String channel, String data, String origin, PublishOptions options) {
            return broker.publish(channel, data, origin, options);
        }
        @Override public CompletionStage<Void> addPresence(String channel, ClientInfo client) { return broker.addPresence(channel, client); }
        @Override public CompletionStage<Void> removePresence(String channel, ClientInfo client) { return broker.removePresence(channel, client); }
        @Override public CompletionStage<List<ClientInfo>> presence(String channel) { return broker.presence(channel); }
        @Override public void close() { broker.close(); }
    }
}
