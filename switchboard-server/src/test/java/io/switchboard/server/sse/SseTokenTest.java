package io.switchboard.server.sse;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.Message;
import io.switchboard.server.TestServer;
import io.switchboard.server.auth.TestTokens;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;

import static io.switchboard.server.auth.TestTokens.connection;
import static io.switchboard.server.auth.TestTokens.subscription;
import static io.switchboard.server.http.HttpResponses.JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code GET /sse} with tokens: a private channel opens to the subscription token that names it
 * ({@code ?sub_token=}), and a stream ends when its connection token expires, the client coming
 * back with a fresh token and its Last-Event-ID without losing anything.
 */
class SseTokenTest {

    private final TestServer test = new TestServer(TestTokens.withPrivateChannels(TestServer.config().sseHeartbeat(Duration.ofMinutes(10))));

    @AfterEach
    void stop() {
        test.close();
    }

    private SseConnection open(String path, String... headers) throws IOException {
        return SseConnection.open(test.server().port(), path, headers);
    }

    private void assertRefused(String path, int status, String code) throws IOException {
        try (SseConnection sse = open(path)) {
            JsonNode error = JSON.readTree(sse.fixedBody()).path("error");
            assertThat(sse.status).as("%s: %s", path, error).isEqualTo(status);
            assertThat(error.path("code").asText()).isEqualTo(code);
            assertThat(error.path("message").asText()).isNotBlank();
        }
    }

    @Test
    void aPrivateChannelStreamsWithTheSubscriptionTokenThatNamesItForItsUser() throws Exception {
        String alice = connection("alice", Duration.ofMinutes(5));
        try (SseConnection sse = open("/sse?channel=private:plans&token=" + alice + "&sub_token=" + subscription("alice", "private:plans"))) {
            assertThat(sse.status).isEqualTo(200);
            sse.nextBlock(); // retry
            sse.nextBlock(); // the opening position
            Message m = test.publish("private:plans", "{\"plan\":1}");
            assertThat(sse.nextEvent()).isEqualTo("id: 1:" + m.epoch() + "\nevent: private:plans\ndata: {\"plan\":1}");
        }
    }

    @Test
    void aPrivateChannelIsRefusedWithoutItsOwnSubscriptionToken() throws Exception {
        String alice = connection("alice", Duration.ofMinutes(5));
        assertRefused("/sse?channel=private:plans&token=" + alice, 403, "forbidden");
        assertRefused("/sse?channel=private:plans&token=" + alice + "&sub_token=" + subscription("alice", "private:other"), 403, "forbidden");
        assertRefused("/sse?channel=private:plans&token=" + connection("bob", Duration.ofMinutes(5))
                + "&sub_token=" + subscription("alice", "private:plans"), 403, "forbidden");
        assertRefused("/sse?channel=private:plans&token=" + alice + "&sub_token=forged", 401, "unauthorized");
        assertRefused("/sse?channel=private:plans&sub_token=" + subscription("alice", "private:plans"), 401, "unauthorized");
    }

    @Test
    void aSubscriptionTokenOpensItsChannelAndNothingElse() throws Exception {
        String alice = connection("alice", Duration.ofMinutes(5));
        assertRefused("/sse?channel=private:plans&channel=private:other&token=" + alice
                + "&sub_token=" + subscription("alice", "private:plans"), 403, "forbidden");
        try (SseConnection sse = open("/sse?channel=private:plans&channel=private:other&channel=news&token=" + alice
                + "&sub_token=" + subscription("alice", "private:plans") + "&sub_token=" + subscription("alice", "private:other"))) {
            assertThat(sse.status).as("one token per private channel, in any order").isEqualTo(200);
            sse.nextBlock();
            sse.nextBlock();
            test.publish("private:other", "\"other\"");
            assertThat(sse.nextEvent()).contains("event: private:other\ndata: \"other\"");
        }
    }

    @Test
    void aStreamEndsWhenItsTokenExpiresSayingSoAndResumesWithAFreshTokenFromLastEventId() throws Exception {
        String first = connection("alice", Duration.ofSeconds(2));
        Instant expiry = TestTokens.expiry(first);
        Message before;
        String lastEventId;
        try (SseConnection sse = open("/sse?channel=news&token=" + first)) {
            assertThat(sse.status).isEqualTo(200);
            assertThat(sse.nextBlock()).isEqualTo("retry: 2000");
            assertThat(sse.nextBlock()).startsWith("id: 0:");
            before = test.publish("news", "{\"n\":1}");
            lastEventId = SseConnection.field(sse.nextEvent(), "id");

            assertThat(sse.nextBlock()).isEqualTo("data: {\"disconnect\":{\"code\":3000,\"reason\":\"token expired\"}}");
            assertThat(Instant.now()).as("not before the token's exp").isAfterOrEqualTo(expiry.minusMillis(50));
            assertThatThrownBy(sse::nextBlock).as("the body ends").isInstanceOf(EOFException.class);
            assertThat(sse.closedByServer()).isTrue();
        }
        assertThat(lastEventId).isEqualTo("1:" + before.epoch());
        Message whileAway = test.publish("news", "{\"n\":2}");

        assertRefused("/sse?channel=news&token=" + first, 401, "unauthorized");
        try (SseConnection sse = open("/sse?channel=news&token=" + connection("alice", Duration.ofMinutes(5)),
                "Last-Event-ID: " + lastEventId)) {
            assertThat(sse.status).isEqualTo(200);
            assertThat(sse.nextEvent()).isEqualTo("id: 2:" + whileAway.epoch() + "\nevent: news\ndata: {\"n\":2}");
        }
    }

    @Test
    void aStreamWithAnAuthorizationHeaderEndsAtItsTokensExpiryToo() throws Exception {
        try (SseConnection sse = open("/sse?channel=news", "Authorization: Bearer " + connection("alice", Duration.ofSeconds(2)))) {
            assertThat(sse.status).isEqualTo(200);
            assertThat(sse.nextEvent()).contains("\"disconnect\":{\"code\":3000");
            assertThat(sse.closedByServer()).isTrue();
        }
    }
}
