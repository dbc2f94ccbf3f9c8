package io.switchboard.server.publish;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.core.Hub;
import io.switchboard.core.HubConfig;
import io.switchboard.server.TestServer;
import io.switchboard.server.http.Cors;
import io.switchboard.server.http.HttpRouter;
import io.switchboard.server.http.Origins;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.switchboard.server.TestServer.assertError;
import static io.switchboard.server.TestServer.config;
import static io.switchboard.server.TestServer.json;
import static io.switchboard.server.http.HttpResponses.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /api/publish}: a backend publishes; every transport's subscribers receive it. */
class PublishEndpointTest {

    private final TestServer http = new TestServer(config());

    @AfterEach
    void stop() {
        http.close();
    }

    @Test
    void returnsTheOffsetAndSubscribersOnSseAndPollReceiveIt() throws Exception {
        String since = http.cursor("news");
        String epoch = since.substring(2);
        try (Socket sse = new Socket()) {
            sse.connect(new InetSocketAddress("127.0.0.1", http.server().port()));
            sse.setSoTimeout(10_000);
            sse.getOutputStream().write(("GET /sse?channel=news&since=" + since + " HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            CompletableFuture<HttpResponse<String>> poll = http.getAsync("/poll?channel=news&wait=30&since=" + since);
            TestServer.await("the poll is held", () -> http.server().heldPollCount() == 1);

            HttpResponse<String> response = http.post("/api/publish", "{\"channel\":\"news\",\"data\":{\"title\":\"hi\"}}");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response)).isEqualTo(JSON.readTree("{\"offset\":1,\"epoch\":\"" + epoch + "\"}"));
            JsonNode polled = json(poll.get(10, TimeUnit.SECONDS)).get("messages").get(0);
            assertThat(polled).isEqualTo(JSON.readTree("{\"channel\":\"news\",\"offset\":1,\"epoch\":\"" + epoch + "\",\"data\":{\"title\":\"hi\"}}"));
            assertThat(readUntil(sse.getInputStream(), "\n\n", 3))
                    .contains("id: 1:" + epoch + "\nevent: news\ndata: {\"title\":\"hi\"}\n\n");
        }
    }

    @Test
    void bodyOverTheLimitIs413JsonAndTheConnectionStaysUsable() throws Exception {
        http.restart(config().maxHttpBody(1024));
        String big = "{\"channel\":\"news\",\"data\":\"" + "x".repeat(2048) + "\"}";
        String small = "{\"channel\":\"news\",\"data\":1}";
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", http.server().port()));
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request(big).getBytes(StandardCharsets.UTF_8));
            out.write(request(small).getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();

            String first = readUntil(in, "}}", 1);
            String second = readUntil(in, "}", 1);

            assertThat(first).startsWith("HTTP/1.1 413 ").contains("application/json")
                    .contains("{\"error\":{\"code\":\"payload_too_large\",\"name\":\"payload_too_large\",\"number\":111,"
                            + "\"message\":\"request body is larger than 1024 bytes\"}}");
            assertThat(second).startsWith("HTTP/1.1 200 ").contains("\"offset\":1");
        }
    }

    @Test
    void bodyOverTheLimitIs413JsonForAnHttpClient() throws Exception {
        http.restart(config().maxHttpBody(1024));
        assertError(http.post("/api/publish", "{\"channel\":\"news\",\"data\":\"" + "x".repeat(4096) + "\"}"), 413, "payload_too_large");
    }

    @Test
    void invalidJsonIs400Json() throws Exception {
        assertError(http.post("/api/publish", "{\"channel\":"), 400, "invalid_json");
    }

    @Test
    void duplicateKeysAre400InvalidJsonAsOnWsAndNothingIsPublished() throws Exception {
        String before = http.cursor("news");

        assertError(http.post("/api/publish", "{\"channel\":\"news\",\"data\":1,\"data\":2}"), 400, "invalid_json");
        assertError(http.post("/api/notifications", "{\"title\":\"a\",\"title\":\"b\"}"), 400, "invalid_json");

        assertThat(http.cursor("news")).as("the position of news").isEqualTo(before);
        assertThat(http.cursor("notifications")).as("the position of notifications").startsWith("0:");
    }

    @Test
    void missingDataIs400Json() throws Exception {
        assertError(http.post("/api/publish", "{\"channel\":\"news\"}"), 400, "bad_request");
    }

    @Test
    void notAnObjectIs400Json() throws Exception {
        assertError(http.post("/api/publish", "[1,2]"), 400, "bad_request");
    }

    @Test
    void invalidChannelIs400Json() throws Exception {
        assertError(http.post("/api/publish", "{\"channel\":\"no spaces\",\"data\":1}"), 400, "bad_channel");
    }

    @Test
    void withAnApiKeyARequestWithoutOneIs401Json() throws Exception {
        http.restart(config().apiKey("s3cret"));
        HttpResponse<String> response = http.post("/api/publish", "{\"channel\":\"news\",\"data\":1}");
        assertError(response, 401, "unauthorized");
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }

    @Test
    void withAnApiKeyAWrongKeyIs401Json() throws Exception {
        http.restart(config().apiKey("s3cret"));
        assertError(http.post("/api/publish", "{\"channel\":\"news\",\"data\":1}", "Authorization", "Bearer guess"), 401, "unauthorized");
    }

    @Test
    void withAnApiKeyTheBearerKeyPublishes() throws Exception {
        http.restart(config().apiKey("s3cret"));
        HttpResponse<String> response = http.post("/api/publish", "{\"channel\":\"news\",\"data\":1}", "Authorization", "Bearer s3cret");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("offset").asLong()).isEqualTo(1);
    }

    @Test
    void withoutAnApiKeyACallerFromAnotherMachineIs403Json() throws Exception {
        try (Hub hub = Hub.inMemory(HubConfig.defaults())) {
            HttpRouter router = new HttpRouter(null, new Cors(Origins.sameOrigin())).http("/api/publish", Set.of(HttpMethod.POST), PublishEndpoint.api(hub, null, Origins.sameOrigin()));
            EmbeddedChannel remote = new EmbeddedChannel(router) {
                @Override
                protected SocketAddress remoteAddress0() {
                    return new InetSocketAddress("203.0.113.7", 40000);
                }
            };
            DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/publish",
                    Unpooled.copiedBuffer("{\"channel\":\"news\",\"data\":1}", StandardCharsets.UTF_8));
            request.headers().set("Host", "switchboard.example").set("Content-Type", "application/json");
            remote.writeInbound(request);
            FullHttpResponse response = remote.readOutbound();
            try {
                assertThat(response.status().code()).isEqualTo(403);
                JsonNode error = JSON.readTree(response.content().toString(StandardCharsets.UTF_8)).get("error");
                assertThat(error.get("code").asText()).isEqualTo("forbidden");
            } finally {
                response.release();
                remote.finishAndReleaseAll();
            }
            assertThat(hub.history("news", null, 10).toCompletableFuture().get().messages()).isEmpty();
        }
    }

    private static String request(String body) {
        return "POST /api/publish HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    /** Reads until {@code end} has been seen {@code times} times. */
    private static String readUntil(InputStream in, String end, int times) throws Exception {
        StringBuilder text = new StringBuilder();
        int seen = 0;
        while (seen < times) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            text.append((char) b);
            if (text.length() >= end.length() && text.substring(text.length() - end.length()).equals(end)) {
                seen++;
            }
        }
        return text.toString();
    }
}
