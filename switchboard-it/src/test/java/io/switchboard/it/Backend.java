package io.switchboard.it;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static io.switchboard.it.ExternalClient.JSON;

/** An application backend talking to the server under test over plain HTTP, as a user's would. */
final class Backend {

    /** What {@code POST /api/publish} answered: the cursor of the stored publication. */
    record Published(long offset, String epoch) {
        /** The cursor text {@code <offset>:<epoch>}. */
        String cursor() {
            return offset + ":" + epoch;
        }
    }

    final String base;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** A backend for the server at {@code base} ({@code http://127.0.0.1:port}). */
    Backend(String base) {
        this.base = base;
    }

    /** {@code POST /api/publish {"channel","data"}}; fails unless it answers 200 with the offset and epoch. */
    Published publish(String channel, String dataJson) throws IOException, InterruptedException {
        String body = "{\"channel\":" + JSON.writeValueAsString(channel) + ",\"data\":" + dataJson + "}";
        HttpResponse<String> response = post("/api/publish", body);
        if (response.statusCode() != 200) {
            throw new AssertionError("POST /api/publish answered " + response.statusCode() + ": " + response.body());
        }
        JsonNode reply = JSON.readTree(response.body());
        if (!reply.path("offset").isIntegralNumber() || !reply.path("epoch").isTextual()) {
            throw new AssertionError("POST /api/publish answered without offset and epoch: " + response.body());
        }
        return new Published(reply.path("offset").asLong(), reply.path("epoch").asText());
    }

    /** {@code POST /api/notifications} with {@code dataJson}; fails unless it answers 2xx. */
    void notify(String dataJson) throws IOException, InterruptedException {
        HttpResponse<String> response = post("/api/notifications", dataJson);
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError("POST /api/notifications answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** {@code POST path} with a JSON body. */
    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET path}, the whole body as text. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code GET path} as an event stream. */
    SseStream stream(String path, String lastEventId) throws IOException, InterruptedException {
        return SseStream.open(http, URI.create(base + path), lastEventId);
    }
}
