package io.switchboard.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.testkit.Frame;
import io.switchboard.testkit.RawWebSocket;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** A {@code ws /ws} client for tests: sends command text, reads what the server sends, in order. */
final class WsClient implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    final RawWebSocket webSocket;
    /** The client id from the server's {@code connect} push. */
    final String clientId;

    WsClient(RawWebSocket webSocket, String clientId) {
        this.webSocket = webSocket;
        this.clientId = clientId;
    }

    /** Connects to {@code /ws<query>} and reads the {@code connect} push. */
    static WsClient connect(SwitchboardServer server, String query) throws Exception {
        RawWebSocket webSocket = open(server, "/ws" + query);
        JsonNode connect = JSON.readTree(nextText(webSocket));
        assertThat(connect.path("connect").path("client").asText()).as("connect push %s", connect).isNotEmpty();
        return new WsClient(webSocket, connect.path("connect").path("client").asText());
    }

    /** Opens {@code path} (with its query) without reading anything: the caller reads the {@code connect} push. */
    static WsClient connectRaw(SwitchboardServer server, String path) throws Exception {
        return new WsClient(open(server, path), null);
    }

    private static RawWebSocket open(SwitchboardServer server, String path) throws IOException {
        return RawWebSocket.connect(URI.create("ws://127.0.0.1:" + server.port() + path));
    }

    static WsClient connect(SwitchboardServer server) throws Exception {
        return connect(server, "");
    }

    /** Sends one text message. */
    void send(String text) throws IOException {
        webSocket.send(Frame.text(text));
    }

    /** The next text message from the server (pings are skipped). */
    String nextText() throws Exception {
        return nextText(webSocket);
    }

    /** The next message from the server, as JSON. */
    JsonNode next() throws Exception {
        return JSON.readTree(nextText());
    }

    /** Sends {@code command} and returns the next message, which must be its reply. */
    JsonNode request(String command) throws Exception {
        send(command);
        return next();
    }

    private static String nextText(RawWebSocket webSocket) throws Exception {
        while (true) {
            Frame frame = webSocket.readFrame(TIMEOUT);
            assertThat(frame).as("a message from the server within %s", TIMEOUT).isNotNull();
            if (frame.opcode() == Frame.TEXT) {
                return frame.text();
            }
            assertThat(frame.opcode()).as("frame %s", frame).isEqualTo(Frame.PING);
        }
    }

    @Override
    public void close() {
        webSocket.close();
    }
}
