package io.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.ErrorCode;
import io.switchboard.core.Message;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static io.switchboard.server.http.HttpResponses.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A server on loopback for one test, with an HTTP client that keeps cookies like a browser,
 * in-process publishing, and waiting on conditions.
 */
public final class TestServer implements AutoCloseable {

    /** How long any single answer may take before a test fails. */
    public static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    private SwitchboardServer server;

    /** Starts a server with {@code config}. */
    public TestServer(ServerConfig config) {
        this.server = SwitchboardServer.start(config);
    }

    /** The tests' base configuration: loopback, a free port, no demo ticker. */
    public static ServerConfig config() {
        return new ServerConfig().host("127.0.0.1").port(0).demo(false);
    }

    /** The running server. */
    public SwitchboardServer server() {
        return server;
    }

    /** Replaces the server with one started with {@code config}. */
    public void restart(ServerConfig config) {
        server.close();
        server = SwitchboardServer.start(config);
    }

    /** Publishes in process and waits for the stored message. */
    public Message publish(String channel, String data) throws Exception {
        return server.hub().publish(channel, data, null).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** The channel's current cursor: resuming from it misses nothing published later. */
    public String cursor(String channel) throws Exception {
        return server.hub().history(channel, null, 0).toCompletableFuture().get(5, TimeUnit.SECONDS).position().toString();
    }

    @Override
    public void close() {
        server.close();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** Sends {@code GET path} with the extra headers {@code headers} (name, value, ...) without waiting for the answer. */
    public CompletableFuture<HttpResponse<String>> getAsync(String path, String... headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(ANSWER_TIMEOUT);
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path) throws Exception {
        return getAsync(path).get(ANSWER_TIMEOUT.toSeconds() + 1, TimeUnit.SECONDS);
    }

    /** Sends {@code POST path} with a JSON body and the extra headers {@code headers} (name, value, name, value...). */
    public HttpResponse<String> post(String path, String body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(ANSWER_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The body as JSON. */
    public static JsonNode json(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body());
    }

    /**
     * Asserts {@code response} is a JSON error with {@code status} and {@code code}: the error's name,
     * also in {@code name}, with its number from the one vocabulary {@code /ws} uses too.
     */
    public static void assertError(HttpResponse<String> response, int status, String code) throws IOException {
        assertThat(response.statusCode()).as("status of %s", response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        JsonNode error = json(response).get("error");
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("name").asText()).isEqualTo(code);
        assertThat(error.get("number").asInt()).isEqualTo(ErrorCode.valueOf(code.toUpperCase(Locale.ROOT)).code());
        assertThat(error.get("message").asText()).isNotBlank();
    }

    /** Waits until {@code condition} holds, failing after 10 s. */
    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + ANSWER_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
