package io.switchboard.server.metrics;

import io.switchboard.server.TestServer;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ServerMetricsTest {

    @Test
    void scrapeReportsConnectionsHandshakesAndPublicationsInPrometheusFormat() throws Exception {
        try (TestServer server = new TestServer(TestServer.config())) {
            HttpClient http = HttpClient.newHttpClient();
            WebSocket webSocket = http.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.server().port() + "/chat"), new WebSocket.Listener() { })
                    .get(10, TimeUnit.SECONDS);
            HttpResponse<String> rejected = server.getAsync("/echo", "Sec-WebSocket-Version", "13").get(10, TimeUnit.SECONDS);
            assertThat(rejected.statusCode()).isEqualTo(400);
            server.publish("news", "{\"n\":1}");
            server.publish("news", "{\"n\":2}");

            HttpResponse<String> scrape = server.get("/metrics");

            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
            String body = scrape.body();
            assertThat(value(body, "switchboard_connections{transport=\"websocket\"}")).isEqualTo(1.0);
            assertThat(value(body, "switchboard_handshakes_total{result=\"accepted\"}")).isEqualTo(1.0);
            assertThat(value(body, "switchboard_handshakes_total{result=\"rejected\"}")).isEqualTo(1.0);
            assertThat(value(body, "switchboard_publications_total")).isEqualTo(2.0);
            // /chat subscribes its connection to channel "chat".
            assertThat(value(body, "switchboard_channels")).isEqualTo(1.0);
            assertThat(body).contains("jvm_memory_used_bytes");
            webSocket.abort();
        }
    }

    @Test
    void deliveriesCountEachSubscriberThatReceivedAPublication() throws Exception {
        try (TestServer server = new TestServer(TestServer.config())) {
            HttpClient http = HttpClient.newHttpClient();
            CompletableFuture<Void> welcomed = new CompletableFuture<>();
            WebSocket.Listener listener = new WebSocket.Listener() {
                @Override
                public CompletableFuture<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    welcomed.complete(null);
                    ws.request(1);
                    return null;
                }
            };
            WebSocket webSocket = http.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.server().port() + "/chat"), listener)
                    .get(10, TimeUnit.SECONDS);
            welcomed.get(10, TimeUnit.SECONDS);

            server.publish("chat", "{\"type\":\"chat\",\"from\":\"a\",\"message\":\"hi\",\"timestamp\":\"t\"}");

            TestServer.await("the delivery is counted",
                    () -> value(scrape(server), "switchboard_deliveries_total") == 1.0);
            webSocket.abort();
        }
    }

    @Test
    void gaugesAndCountersKeepTheirValuesAfterGarbageCollection() throws Exception {
        try (TestServer server = new TestServer(TestServer.config())) {
            WebSocket webSocket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.server().port() + "/chat"), new WebSocket.Listener() { })
                    .get(10, TimeUnit.SECONDS);
            server.publish("news", "{\"n\":1}");
            // Micrometer holds a gauge's object weakly unless told otherwise: a collection must not turn values into NaN.
            for (int i = 0; i < 3; i++) {
                System.gc();
            }

            String body = scrape(server);

            assertThat(value(body, "switchboard_connections{transport=\"websocket\"}")).isEqualTo(1.0);
            assertThat(value(body, "switchboard_connections{transport=\"http\"}")).isGreaterThanOrEqualTo(0.0);
            assertThat(value(body, "switchboard_handshakes_total{result=\"accepted\"}")).isEqualTo(1.0);
            assertThat(value(body, "switchboard_publications_total")).isEqualTo(1.0);
            assertThat(value(body, "switchboard_channels")).isEqualTo(1.0);
            webSocket.abort();
        }
    }

    @Test
    void withAKeyOnlyCallersThatSendItMayScrape() throws Exception {
        try (TestServer server = new TestServer(TestServer.config().metricsKey("scrape-me"))) {
            TestServer.assertError(server.get("/metrics"), 401, "unauthorized");
            HttpResponse<String> scrape = server.getAsync("/metrics", "Authorization", "Bearer scrape-me").get(10, TimeUnit.SECONDS);
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains("switchboard_connections");
        }
    }

    @Test
    void metricsCanBeTurnedOff() throws Exception {
        try (TestServer server = new TestServer(TestServer.config().metrics(false))) {
            TestServer.assertError(server.get("/metrics"), 404, "not_found");
        }
    }

    private static String scrape(TestServer server) {
        try {
            return server.get("/metrics").body();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sample value of the series {@code series} (name and labels as exposed). */
    private static double value(String body, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(body);
        assertThat(m.find()).as("series %s in%n%s", series, body).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
