package io.switchboard.server.publish;

import io.switchboard.server.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static io.switchboard.server.TestServer.assertError;
import static org.assertj.core.api.Assertions.assertThat;

/** A page on another site cannot publish through a visitor's browser: not with JSON, not with a form. */
class CrossSitePublishTest {

    private final TestServer server = new TestServer(TestServer.config());
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> post(String path, String contentType, String origin, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(server.uri(path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aPageOfAnotherSiteIsRefused403OnBothPublishEndpoints() throws Exception {
        assertError(post("/api/notifications", "application/json", "https://evil.example", "{\"text\":\"forged\"}"), 403, "cross_site_request");
        assertError(post("/api/publish", "application/json", "https://evil.example", "{\"channel\":\"news\",\"data\":1}"), 403, "cross_site_request");
    }

    @Test
    void aFormPostIsRefused415WhateverItsOrigin() throws Exception {
        assertError(post("/api/notifications", "text/plain", null, "{\"text\":\"forged\"}"), 415, "unsupported_media_type");
        assertError(post("/api/notifications", "application/x-www-form-urlencoded", null, "text=forged"), 415, "unsupported_media_type");
        assertError(post("/api/publish", "multipart/form-data; boundary=x", null, "--x--"), 415, "unsupported_media_type");
    }

    @Test
    void theServersOwnPageMayPostNotifications() throws Exception {
        String own = "http://127.0.0.1:" + server.server().port();
        assertThat(post("/api/notifications", "application/json; charset=utf-8", own, "{\"text\":\"hello\"}").statusCode()).isEqualTo(200);
    }
}
