package io.switchboard.server.poll;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.Message;
import io.switchboard.server.TestServer;
import io.switchboard.server.auth.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import static io.switchboard.server.TestServer.assertError;
import static io.switchboard.server.TestServer.json;
import static io.switchboard.server.auth.TestTokens.connection;
import static io.switchboard.server.auth.TestTokens.subscription;
import static io.switchboard.server.http.HttpResponses.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Polling with tokens: {@code GET /poll} reads a private channel with the subscription token that
 * names it ({@code ?sub_token=}), and a held poll ({@code /poll}, the lesson's
 * {@code /api/notifications/poll}) is answered when its connection token expires, so the next poll
 * carries a fresh one and loses nothing.
 */
class PollTokenTest {

    private final TestServer http = new TestServer(TestTokens.withPrivateChannels(TestServer.config()));

    @AfterEach
    void stop() {
        http.close();
    }

    @Test
    void aPrivateChannelIsPolledWithTheSubscriptionTokenThatNamesItForItsUser() throws Exception {
        Message m = http.publish("private:plans", "{\"plan\":1}");
        String alice = connection("alice", Duration.ofMinutes(5));
        String path = "/poll?channel=private:plans&since=0:" + m.epoch() + "&wait=0&token=" + alice;

        HttpResponse<String> granted = http.get(path + "&sub_token=" + subscription("alice", "private:plans"));

        assertThat(granted.statusCode()).isEqualTo(200);
        assertThat(json(granted).path("messages")).isEqualTo(JSON.readTree(
                "[{\"channel\":\"private:plans\",\"offset\":1,\"epoch\":\"" + m.epoch() + "\",\"data\":{\"plan\":1}}]"));
        assertError(http.get(path), 403, "forbidden");
        assertError(http.get(path + "&sub_token=" + subscription("alice", "private:other")), 403, "forbidden");
        assertError(http.get(path + "&sub_token=" + subscription("bob", "private:plans")), 403, "forbidden");
        assertError(http.get(path + "&sub_token=forged"), 401, "unauthorized");
        assertError(http.get("/poll?channel=private:plans&wait=0&sub_token=" + subscription("alice", "private:plans")), 401, "unauthorized");
    }

    @Test
    void aSubscriptionTokenAlongsideTheAuthorizationHeaderOpensItsChannelAndNothingElse() throws Exception {
        String bearer = "Bearer " + connection("alice", Duration.ofMinutes(5));
        String plans = "&sub_token=" + subscription("alice", "private:plans");

        HttpResponse<String> refused = http.getAsync("/poll?channel=private:plans&channel=private:other&wait=0" + plans,
                "Authorization", bearer).get();
        HttpResponse<String> both = http.getAsync("/poll?channel=private:plans&channel=private:other&channel=news&wait=0" + plans
                + "&sub_token=" + subscription("alice", "private:other"), "Authorization", bearer).get();

        assertError(refused, 403, "forbidden");
        assertThat(both.statusCode()).as(both.body()).isEqualTo(200);
    }

    @Test
    void aHeldPollIsAnsweredWhenItsTokenExpiresAndTheNextPollWithAFreshTokenLosesNothing() throws Exception {
        String first = connection("alice", Duration.ofSeconds(2));
        Instant expiry = TestTokens.expiry(first);
        String since = http.cursor("news");

        // Held for up to 30 s were it not for the token; the client gives up after 10.
        HttpResponse<String> held = http.get("/poll?channel=news&since=" + since + "&wait=30&token=" + first);

        assertThat(Instant.now()).as("not before the token's exp").isAfterOrEqualTo(expiry.minusMillis(50));
        assertThat(held.statusCode()).isEqualTo(200);
        JsonNode answer = json(held);
        assertThat(answer.path("messages")).isEmpty();
        assertThat(answer.path("cursor").asText()).isEqualTo(since);

        Message whileAway = http.publish("news", "{\"n\":1}");
        assertError(http.get("/poll?channel=news&since=" + since + "&wait=0&token=" + first), 401, "unauthorized");
        HttpResponse<String> next = http.get("/poll?channel=news&since=" + answer.path("cursor").asText() + "&wait=30&token="
                + connection("alice", Duration.ofMinutes(5)));
        assertThat(json(next).path("messages").get(0).path("offset").asLong()).isEqualTo(whileAway.offset());
    }

    @Test
    void theLessonsNotificationPollIsAnsweredWhenItsTokenExpires() throws Exception {
        String first = connection("alice", Duration.ofSeconds(2));
        Instant expiry = TestTokens.expiry(first);

        HttpResponse<String> held = http.getAsync("/api/notifications/poll", "Authorization", "Bearer " + first).get();

        assertThat(Instant.now()).as("not before the token's exp").isAfterOrEqualTo(expiry.minusMillis(50));
        assertThat(held.statusCode()).isEqualTo(200);
        assertThat(held.body()).isEqualTo("[]");
    }
}
