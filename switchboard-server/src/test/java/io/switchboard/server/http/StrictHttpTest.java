package io.switchboard.server.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.server.ServerConfig;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.testkit.HttpResponse;
import io.switchboard.testkit.RawHttp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP/1.1 as RFC 9112 asks for it: answers in request order, a clear status for every bad request, no connection held by a body that never comes. */
class StrictHttpTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static SwitchboardServer server;

    @BeforeAll
    static void start() {
        server = SwitchboardServer.start(new ServerConfig().host("127.0.0.1").port(0).demo(false).bodyTimeout(Duration.ofMillis(500)));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse send(String request) throws IOException {
        return RawHttp.exchange("127.0.0.1", server.port(), request, TIMEOUT);
    }

    private static void assertError(HttpResponse response, int status, String code) throws IOException {
        assertThat(response.status()).as("%s", response).isEqualTo(status);
        assertThat(JSON.readTree(response.bodyText()).path("error").path("code").asText()).isEqualTo(code);
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", server.port()), (int) TIMEOUT.toMillis());
        socket.setSoTimeout((int) TIMEOUT.toMillis());
        return socket;
    }

    /** Reads until the server closes the connection (or the timeout), returning all of it. */
    private static String readToEnd(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void aRequestPipelinedBehindAHeldPollIsAnsweredAfterIt() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(("GET /poll?channel=held&wait=0.5 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /switchboard.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String both = readToEnd(socket);

            int poll = both.indexOf("{\"messages\":[]");
            int script = both.indexOf("text/javascript");
            assertThat(poll).as("the poll's answer in %s", both).isPositive();
            assertThat(script).as("the script's answer").isPositive();
            assertThat(poll).as("the held poll is answered first").isLessThan(script);
        }
    }

    @Test
    void aPublishReplyIsNotLostBehindAPipelinedConnectionClose() throws Exception {
        String body = "{\"channel\":\"order\",\"data\":1}";
        try (Socket socket = connect()) {
            socket.getOutputStream().write(("POST /api/publish HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body
                    + "GET /switchboard.js HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String both = readToEnd(socket);

            assertThat(both).startsWith("HTTP/1.1 200");
            assertThat(both.indexOf("\"offset\":1")).as("the publish reply comes first in %s", both).isPositive()
                    .isLessThan(both.indexOf("text/javascript"));
        }
    }

    @Test
    void aBodyThatNeverComesIsAnswered408AndTheConnectionClosed() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write("POST /api/publish HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"cha"
                    .getBytes(StandardCharsets.ISO_8859_1));
            String answer = readToEnd(socket);
            assertThat(answer).startsWith("HTTP/1.1 408").contains("request_timeout");
        }
    }

    @Test
    void anOversizedRequestLineIs414AndOversizedHeadersAre431() throws Exception {
        assertError(send("GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"), 414, "uri_too_long");
        assertError(send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n"), 431, "headers_too_large");
    }

    @Test
    void anUnsupportedVersionIs505() throws Exception {
        assertError(send("GET / HTTP/9.9\r\nHost: x\r\n\r\n"), 505, "http_version_not_supported");
    }

    @Test
    void aMissingOrDoubledHostIs400() throws Exception {
        assertError(send("GET / HTTP/1.1\r\n\r\n"), 400, "bad_request");
        assertError(send("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), 400, "bad_request");
        assertThat(send("GET /switchboard.js HTTP/1.0\r\n\r\n").status()).as("HTTP/1.0 needs no Host").isEqualTo(200);
    }

    @Test
    void anAbsoluteFormTargetIsRoutedByItsPath() throws Exception {
        assertThat(send("GET http://example.com/switchboard.js HTTP/1.1\r\nHost: example.com\r\nConnection: close\r\n\r\n").status())
                .isEqualTo(200);
    }

    @Test
    void badPercentEncodingIs400Json() throws Exception {
        assertError(send("GET /poll?channel=%zz HTTP/1.1\r\nHost: x\r\n\r\n"), 400, "bad_request");
    }

    @Test
    void aRefusedUpgradeClosesTheConnection() throws Exception {
        try (Socket socket = connect()) {
            socket.getOutputStream().write(("GET /chat HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String answer = readToEnd(socket);
            assertThat(answer).startsWith("HTTP/1.1 426").contains("connection: close");
        }
    }
}
