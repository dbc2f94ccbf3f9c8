package io.switchboard.server.poll;

import io.switchboard.server.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.switchboard.server.TestServer.assertError;
import static io.switchboard.server.TestServer.config;
import static io.switchboard.server.TestServer.json;
import static io.switchboard.server.http.HttpResponses.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/** The lesson's {@code GET /api/notifications/poll} and {@code POST /api/notifications}. */
class NotificationsEndpointTest {

    private final TestServer http = new TestServer(config());

    @AfterEach
    void stop() {
        http.close();
    }

    private void notify(String json) throws Exception {
        HttpResponse<String> response = http.post("/api/notifications", json);
        assertThat(response.statusCode()).as("POST /api/notifications: %s", response.body()).isEqualTo(200);
    }

    @Test
    void answersAnEmptyArrayOnTimeoutAndKeepsThePositionInACookie() throws Exception {
        http.restart(config().maxPollWait(Duration.ofMillis(50)));

        HttpResponse<String> response = http.get("/api/notifications/poll");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("[]");
        assertThat(response.headers().firstValue("Set-Cookie").orElse(""))
                .matches("switchboard-notifications=0:\\w+; Path=/api/notifications; HTTPOnly; SameSite=Lax");
    }

    @Test
    void aHeldPollAnswersTheNotificationAsAJsonArray() throws Exception {
        CompletableFuture<HttpResponse<String>> poll = http.getAsync("/api/notifications/poll");
        TestServer.await("the poll is held", () -> http.server().heldPollCount() == 1);

        notify("{\"text\":\"hello\"}");

        assertThat(json(poll.get(10, TimeUnit.SECONDS))).isEqualTo(JSON.readTree("[{\"text\":\"hello\"}]"));
    }

    @Test
    void theCookieLosesNothingPublishedBetweenPolls() throws Exception {
        http.restart(config().maxPollWait(Duration.ofMillis(50)));
        assertThat(http.get("/api/notifications/poll").body()).isEqualTo("[]");

        // Between polls: nobody is waiting, yet the next poll gets all of them, in order.
        notify("{\"text\":\"n1\"}");
        notify("\"n2\"");
        notify("3");

        assertThat(json(http.get("/api/notifications/poll"))).isEqualTo(JSON.readTree("[{\"text\":\"n1\"},\"n2\",3]"));
        assertThat(http.get("/api/notifications/poll").body()).isEqualTo("[]");
        notify("4");
        assertThat(http.get("/api/notifications/poll").body()).isEqualTo("[4]");
    }

    @Test
    void anUnreadableCookieStartsAfresh() throws Exception {
        http.restart(config().maxPollWait(Duration.ofMillis(50)));
        HttpResponse<String> response = http.getAsync("/api/notifications/poll", "Cookie", "switchboard-notifications=garbage")
                .get(10, TimeUnit.SECONDS);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("[]");
        assertThat(response.headers().firstValue("Set-Cookie").orElse("")).startsWith("switchboard-notifications=0:");
    }

    @Test
    void invalidJsonIs400Json() throws Exception {
        assertError(http.post("/api/notifications", "{not json"), 400, "invalid_json");
    }

    @Test
    void emptyBodyIs400Json() throws Exception {
        assertError(http.post("/api/notifications", ""), 400, "bad_request");
    }

    @Test
    void bodyOverTheLimitIs413Json() throws Exception {
        http.restart(config().maxHttpBody(1024));
        assertError(http.post("/api/notifications", "\"" + "x".repeat(2048) + "\""), 413, "payload_too_large");
    }

    @Test
    void withAnApiKeyANotificationWithoutTheKeyOrWithAWrongOneIs401JsonAndNothingIsPublished() throws Exception {
        http.restart(config().apiKey("s3cret").maxPollWait(Duration.ofMillis(50)));

        HttpResponse<String> without = http.post("/api/notifications", "{\"text\":\"forged\"}");
        assertError(without, 401, "unauthorized");
        assertThat(without.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertError(http.post("/api/notifications", "{\"text\":\"forged\"}", "Authorization", "Bearer guess"), 401, "unauthorized");

        assertThat(http.get("/api/notifications/poll").body()).as("no one's poll sees a refused notification").isEqualTo("[]");
    }

    @Test
    void withAnApiKeyTheBearerKeyNotifiesThePollers() throws Exception {
        http.restart(config().apiKey("s3cret"));
        CompletableFuture<HttpResponse<String>> poll = http.getAsync("/api/notifications/poll");
        TestServer.await("the poll is held", () -> http.server().heldPollCount() == 1);

        HttpResponse<String> response = http.post("/api/notifications", "{\"text\":\"hello\"}", "Authorization", "Bearer s3cret");

        assertThat(response.statusCode()).as("%s", response.body()).isEqualTo(200);
        assertThat(json(poll.get(10, TimeUnit.SECONDS))).isEqualTo(JSON.readTree("[{\"text\":\"hello\"}]"));
    }
}
