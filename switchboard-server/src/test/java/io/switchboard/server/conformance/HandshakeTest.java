package io.switchboard.server.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.server.ServerConfig;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.testkit.Frame;
import io.switchboard.testkit.HttpResponse;
import io.switchboard.testkit.RawHttp;
import io.switchboard.testkit.RawWebSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The handshakes on the wire. Opening (RFC 6455 section 4): the lesson's exact 101, and for every
 * bad handshake a plain HTTP answer with a JSON error body, never an upgrade. Closing (section
 * 7): the server's reply echoes the client's close, then the server closes TCP.
 */
class HandshakeTest {

    /** RFC 6455 section 1.3's sample nonce, and the accept value the RFC derives from it. */
    private static final String SAMPLE_KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private static final String SAMPLE_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static SwitchboardServer server;

    @BeforeAll
    static void start() {
        server = SwitchboardServer.start(new ServerConfig().host("127.0.0.1").port(0).demo(false));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** Sends {@code requestLine}, a Host header and {@code headers}, and reads the answer. */
    private static HttpResponse handshake(String requestLine, String... headers) throws IOException {
        StringBuilder request = new StringBuilder(requestLine).append("\r\nHost: 127.0.0.1:").append(server.port()).append("\r\n");
        for (String header : headers) {
            request.append(header).append("\r\n");
        }
        request.append("\r\n");
        return RawHttp.exchange("127.0.0.1", server.port(), request.toString(), Duration.ofSeconds(10));
    }

    /** Asserts a plain HTTP error: the status, no upgrade, and {@code {"error":{"code","message"}}}. */
    private static JsonNode assertError(HttpResponse response, int status, String code) throws IOException {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        assertThat(response.header("Sec-WebSocket-Accept")).isEmpty();
        assertThat(response.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode error = JSON.readTree(response.bodyText()).path("error");
        assertThat(error.path("code").asText()).isEqualTo(code);
        assertThat(error.path("message").asText()).isNotBlank();
        return error;
    }

    @Test
    void answersTheRfcSampleKeyWithExactlyTheLessons101() throws Exception {
        HttpResponse response = handshake("GET /echo HTTP/1.1", "Upgrade: websocket", "Connection: Upgrade",
                "Sec-WebSocket-Key: " + SAMPLE_KEY, "Sec-WebSocket-Version: 13");
        assertThat(response.toString()).isEqualTo("""
                HTTP/1.1 101 Switching Protocols
                Upgrade: websocket
                Connection: Upgrade
                Sec-WebSocket-Accept: %s""".formatted(SAMPLE_ACCEPT));
    }

    @Test
    void refusesAnUpgradeOverHttp10With400AndNoAccept() throws Exception {
        HttpResponse response = handshake("GET /chat HTTP/1.0", "Upgrade: websocket", "Connection: Upgrade",
                "Sec-WebSocket-Key: " + SAMPLE_KEY, "Sec-WebSocket-Version: 13");
        JsonNode error = assertError(response, 400, "bad_handshake");
        assertThat(error.path("message").asText()).contains("HTTP/1.1");
    }

    @Test
    void upgradesWhenConnectionListsUpgradeAmongOtherTokensAsFirefoxSendsIt() throws Exception {
        HttpResponse response = handshake("GET /chat HTTP/1.1", "Upgrade: WebSocket", "Connection: keep-alive, Upgrade",
                "Sec-WebSocket-Key: " + SAMPLE_KEY, "Sec-WebSocket-Version: 13");
        assertThat(response.status()).isEqualTo(101);
        assertThat(response.header("Sec-WebSocket-Accept")).contains(SAMPLE_ACCEPT);
    }

    @Test
    void answers400WhenSecWebSocketKeyIsMissing() throws Exception {
        JsonNode error = assertError(handshake("GET /echo HTTP/1.1", "Upgrade: websocket", "Connection: Upgrade",
                "Sec-WebSocket-Version: 13"), 400, "bad_handshake");
        assertThat(error.path("message").asText()).contains("Sec-WebSocket-Key");
    }

    @Test
    void answers400WhenSecWebSocketKeyIsNotBase64() throws Exception {
        JsonNode error = assertError(handshake("GET /echo HTTP/1.1", "Upgrade: websocket", "Connection: Upgrade",
                "Sec-WebSocket-Key: this is not base64!!!!!!", "Sec-WebSocket-Version: 13"), 400, "bad_handshake");
        assertThat(error.path("message").asText()).contains("Sec-WebSocket-Key");
    }

    @Test
    void answers400WhenSecWebSocketKeyIsNotSixteenBytes() throws Exception {
        // Valid base64, but of 15 bytes: section 4.1 wants a 16-byte nonce.
        assertError(handshake("GET /echo HTTP/1.1", "Upgrade: websocket", "Connection: Upgrade",
                "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA", "Sec-WebSocket-Version: 13"), 400, "bad_handshake");
    }

    @Test
    void answers400WhenTheUpgradeHeaderIsMissing() throws Exception {
        assertError(handshake("GET /echo HTTP/1.1", "Connection: Upgrade",
                "Sec-WebSocket-Key: " + SAMPLE_KEY, "Sec-WebSocket-Version: 13"), 400, "bad_handshake");
    }

    @Test
    void answers426WithTheSupportedVersionForVersion8() throws Exception {
        HttpResponse response = handshake("GET /echo HTTP/1.1", "Upgrade: websocket", "Connection: Upgrade",
                "Sec-WebSocket-Key: " + SAMPLE_KEY, "Sec-WebSocket-Version: 8");
        assertError(response, 426, "upgrade_required");
        assertThat(response.header("Sec-WebSocket-Version")).contains("13");
    }

    @Test
    void answers426WithTheSupportedVersionWhenTheVersionIsMissing() throws Exception {
        HttpResponse response = handshake("GET /echo HTTP/1.1", "Upgrade: websocket", "Connection: Upgrade",
                "Sec-WebSocket-Key: " + SAMPLE_KEY);
        assertError(response, 426, "upgrade_required");
        assertThat(response.header("Sec-WebSocket-Version")).contains("13");
    }

    @Test
    void answers405ToAHandshakeThatIsNotAGet() throws Exception {
        HttpResponse response = handshake("POST /echo HTTP/1.1", "Upgrade: websocket", "Connection: Upgrade",
                "Sec-WebSocket-Key: " + SAMPLE_KEY, "Sec-WebSocket-Version: 13", "Content-Length: 0");
        assertError(response, 405, "method_not_allowed");
        assertThat(response.header("Allow")).contains("GET");
    }

    @Test
    void answers404ToAHandshakeForAnUnknownPath() throws Exception {
        JsonNode error = assertError(handshake("GET /nowhere HTTP/1.1", "Upgrade: websocket", "Connection: Upgrade",
                "Sec-WebSocket-Key: " + SAMPLE_KEY, "Sec-WebSocket-Version: 13"), 404, "not_found");
        assertThat(error.path("message").asText()).contains("/nowhere");
    }

    // ---- the closing handshake a client starts: the server answers in kind, then closes TCP ----

    private static Frame closeReplyTo(Frame close) throws Exception {
        try (RawWebSocket ws = RawWebSocket.connect(URI.create("ws://127.0.0.1:" + server.port() + "/echo"))) {
            ws.send(close);
            Frame reply = ws.readFrame(Duration.ofSeconds(10));
            assertThat(reply).as("a close reply").isNotNull();
            assertThat(reply.opcode()).isEqualTo(Frame.CLOSE);
            assertThat(ws.awaitTcpClose(Duration.ofSeconds(10))).as("the server closes TCP after the handshake").isTrue();
            return reply;
        }
    }

    @Test
    void echoesTheClientsCloseCodeAndReason() throws Exception {
        Frame reply = closeReplyTo(Frame.close(4001, "bye from the client, κόσμε"));
        assertThat(reply.closeCode()).isEqualTo(4001);
        assertThat(new String(reply.closeReason(), StandardCharsets.UTF_8)).isEqualTo("bye from the client, κόσμε");
    }

    @Test
    void echoesA1000WithoutReasonAsItCame() throws Exception {
        Frame reply = closeReplyTo(Frame.close(1000, ""));
        assertThat(reply.payload()).containsExactly(0x03, 0xE8);
    }

    @Test
    void answersAnEmptyCloseWithAnEmptyClose() throws Exception {
        Frame reply = closeReplyTo(Frame.of(Frame.CLOSE, new byte[0]));
        assertThat(reply.payload()).isEmpty();
    }
}
