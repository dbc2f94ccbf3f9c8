package io.switchboard.server.sse;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.Message;
import io.switchboard.server.ServerConfig;
import io.switchboard.server.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;

import static io.switchboard.server.http.HttpResponses.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /sse} and the lesson's {@code GET /events}: the bytes a client receives. */
class SseEndpointTest {

    private final TestServer test = new TestServer(config());

    private static ServerConfig config() {
        return TestServer.config().sseHeartbeat(Duration.ofMinutes(10));
    }

    @AfterEach
    void stop() {
        test.close();
    }

    private int port() {
        return test.server().port();
    }

    @Test
    void streamsEachPublicationWithTheLessonsHeadersRetryIdEventAndData() throws Exception {
        try (SseConnection sse = SseConnection.open(port(), "/sse?channel=news&since=" + test.cursor("news"))) {
            assertThat(sse.status).isEqualTo(200);
            assertThat(sse.header("Content-Type")).isEqualTo("text/event-stream");
            assertThat(sse.header("Cache-Control")).isEqualTo("no-cache");
            assertThat(sse.header("Connection")).isEqualTo("keep-alive");
            assertThat(sse.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(sse.header("Access-Control-Allow-Origin")).as("no Origin, no CORS").isNull();
            String first = sse.nextBlock();
            String opening = sse.nextBlock();
            Message m = test.publish("news", "{\"title\":\"hello\"}");
            String event = sse.nextBlock();

            assertThat(first).isEqualTo("retry: 2000");
            assertThat(opening).as("the position the stream starts from").isEqualTo("id: 0:" + m.epoch());
            assertThat(event).isEqualTo("id: 1:" + m.epoch() + "\nevent: news\ndata: {\"title\":\"hello\"}");
            assertThat(sse.body.toString()).startsWith("retry: 2000\n\nid: 0:" + m.epoch() + "\n\nid: 1:");
        }
    }

    @Test
    void splitsMultiLineDataIntoOneDataLinePerLine() throws Exception {
        try (SseConnection sse = SseConnection.open(port(), "/sse?channel=news&since=" + test.cursor("news"))) {
            test.publish("news", "{\n  \"a\": 1,\r\n  \"b\": [2,\r3]\n}");

            String event = sse.nextEvent();

            assertThat(event).endsWith("event: news\ndata: {\ndata:   \"a\": 1,\ndata:   \"b\": [2,\ndata: 3]\ndata: }");
        }
    }

    @Test
    void sendsCommentHeartbeats() throws Exception {
        test.restart(config().sseHeartbeat(Duration.ofMillis(20)));
        try (SseConnection sse = SseConnection.open(port(), "/sse?channel=quiet")) {
            assertThat(sse.nextBlock()).isEqualTo("retry: 2000");
            assertThat(sse.nextBlock()).startsWith("id: 0:");
            assertThat(sse.nextBlock()).isEqualTo(": ping");
            assertThat(sse.nextBlock()).isEqualTo(": ping");
        }
    }

    @Test
    void resumesFromLastEventIdWithExactlyTheMissedEvents() throws Exception {
        Message[] published = new Message[6];
        for (int i = 1; i <= 5; i++) {
            published[i] = test.publish("feed", "{\"n\":" + i + "}");
        }
        try (SseConnection sse = SseConnection.open(port(), "/sse?channel=feed&since=" + published[4].position(),
                "Last-Event-ID: " + published[2].position())) {
            assertThat(sse.nextIds(3)).containsExactly(
                    published[3].position().toString(), published[4].position().toString(), published[5].position().toString());
            Message live = test.publish("feed", "{\"n\":6}");
            String event = sse.nextEvent();
            assertThat(SseConnection.field(event, "id")).isEqualTo(live.position().toString());
            assertThat(SseConnection.field(event, "data")).isEqualTo("{\"n\":6}");
        }
    }

    @Test
    void aStreamWithoutCursorOpensOnceSubscribedAndTellsWhereItStarts() throws Exception {
        Message before = test.publish("feed", "{\"n\":1}");
        try (SseConnection sse = SseConnection.open(port(), "/sse?channel=feed")) {
            assertThat(sse.nextBlock()).isEqualTo("retry: 2000");
            assertThat(sse.nextBlock()).isEqualTo("id: " + before.position());
            // The opening id came after the subscription: nothing published from now on is missed.
            Message after = test.publish("feed", "{\"n\":2}");
            assertThat(sse.nextIds(1)).containsExactly(after.position().toString());
        }
    }

    @Test
    void aCursorThatCannotBeRecoveredIsToldAsAnUnnamedEventAndTheStreamGoesOn() throws Exception {
        Message before = test.publish("feed", "{\"n\":1}");
        String foreign = "1:" + "x".repeat(8); // another epoch: the server restarted, its history is gone
        try (SseConnection sse = SseConnection.open(port(), "/sse?channel=feed", "Last-Event-ID: " + foreign)) {
            assertThat(sse.nextBlock()).isEqualTo("retry: 2000");
            assertThat(sse.nextBlock()).isEqualTo("id: " + before.position());
            assertThat(sse.nextBlock()).isEqualTo("data: {\"channel\":\"feed\",\"offset\":" + before.position().offset()
                    + ",\"epoch\":\"" + before.epoch() + "\",\"recovered\":false}");
            Message live = test.publish("feed", "{\"n\":2}");
            assertThat(sse.nextIds(1)).containsExactly(live.position().toString());
        }
    }

    @Test
    void aLastEventIdFromBeforeARestartOnTheSamePortIsToldAsNotRecoveredWithTheNewPosition() throws Exception {
        test.publish("feed", "{\"n\":1}");
        Message before = test.publish("feed", "{\"n\":2}");
        test.restart(config().port(port()));
        Message after = test.publish("feed", "{\"after\":\"restart\"}");
        assertThat(after.epoch()).as("a new server's history is a new epoch").isNotEqualTo(before.epoch());

        try (SseConnection sse = SseConnection.open(port(), "/sse?channel=feed", "Last-Event-ID: " + before.position())) {
            assertThat(sse.nextBlock()).isEqualTo("retry: 2000");
            assertThat(sse.nextBlock()).isEqualTo("id: " + after.position());
            assertThat(sse.nextBlock()).isEqualTo("data: {\"channel\":\"feed\",\"offset\":" + after.position().offset()
                    + ",\"epoch\":\"" + after.epoch() + "\",\"recovered\":false}");
            Message live = test.publish("feed", "{\"n\":3}");
            assertThat(sse.nextIds(1)).as("nothing replayed, the stream goes on live").containsExactly(live.position().toString());
        }
    }

    @Test
    void onlyTheChannelsThatCannotBeRecoveredAreTold() throws Exception {
        String epoch = test.cursor("a").substring(2);
        try (SseConnection sse = SseConnection.open(port(), "/sse?channel=a&channel=b",
                "Last-Event-ID: a=0:" + epoch + " b=3:" + "y".repeat(8))) {
            assertThat(sse.nextBlock()).isEqualTo("retry: 2000");
            assertThat(sse.nextBlock()).startsWith("id: a=0:" + epoch + " b=0:");
            assertThat(sse.nextBlock()).startsWith("data: {\"channel\":\"b\",").endsWith(",\"recovered\":false}");
            test.publish("a", "{\"from\":\"a\"}");
            assertThat(SseConnection.field(sse.nextEvent(), "data")).isEqualTo("{\"from\":\"a\"}");
        }
    }

    @Test
    void resumesFromTheSinceParameter() throws Exception {
        Message first = test.publish("feed", "{\"n\":1}");
        Message second = test.publish("feed", "{\"n\":2}");
        try (SseConnection sse = SseConnection.open(port(), "/sse?channel=feed&since=" + first.position())) {
            assertThat(sse.nextIds(1)).containsExactly(second.position().toString());
        }
    }

    @Test
    void severalChannelsCarryAMultiCursorIdThatResumesEachChannel() throws Exception {
        String epoch = test.cursor("a").substring(2);
        String since = "a=0:" + epoch + " b=0:" + epoch;
        try (SseConnection sse = SseConnection.open(port(), "/sse?channel=a&channel=b",
                "Last-Event-ID: " + since)) {
            test.publish("a", "{\"from\":\"a\"}");
            test.publish("b", "{\"from\":\"b\"}");
            String a = sse.nextEvent();
            String b = sse.nextEvent();
            assertThat(a).isEqualTo("id: a=1:" + epoch + " b=0:" + epoch + "\nevent: a\ndata: {\"from\":\"a\"}");
            assertThat(b).isEqualTo("id: a=1:" + epoch + " b=1:" + epoch + "\nevent: b\ndata: {\"from\":\"b\"}");
        }
        test.publish("b", "{\"from\":\"b2\"}");
        try (SseConnection resumed = SseConnection.open(port(), "/sse?channel=a&channel=b",
                "Last-Event-ID: a=1:" + epoch + " b=0:" + epoch)) {
            assertThat(SseConnection.field(resumed.nextEvent(), "data")).isEqualTo("{\"from\":\"b\"}");
            assertThat(SseConnection.field(resumed.nextEvent(), "data")).isEqualTo("{\"from\":\"b2\"}");
        }
    }

    @Test
    void eventsIsTheLessonsPriceFeedFedByTheDemoTicker() throws Exception {
        test.restart(config().demo(true).tickerInterval(Duration.ofMillis(20)));
        long before = System.currentTimeMillis();
        try (SseConnection sse = SseConnection.open(port(), "/events")) {
            assertThat(sse.status).isEqualTo(200);
            assertThat(sse.header("Content-Type")).isEqualTo("text/event-stream");
            String event = sse.nextEvent();

            assertThat(SseConnection.field(event, "event")).isEqualTo("price-update");
            assertThat(SseConnection.field(event, "id")).matches("\\d+:\\w+");
            JsonNode data = JSON.readTree(SseConnection.field(event, "data"));
            assertThat(data.get("price").isNumber()).as("price in %s", data).isTrue();
            assertThat(data.get("time").isIntegralNumber()).as("time is Date.now(), a number of milliseconds, in %s", data).isTrue();
            assertThat(data.get("time").asLong()).isBetween(before, System.currentTimeMillis());
        }
    }

    @Test
    void answersCorsForAnAllowedOriginOnlyAndNeverWithAStar() throws Exception {
        test.restart(config().allowedOrigins(java.util.List.of("https://app.example")));
        try (SseConnection sse = SseConnection.open(port(), "/sse?channel=news", "Origin: https://app.example")) {
            assertThat(sse.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
        }
        try (SseConnection sse = SseConnection.open(port(), "/sse?channel=news", "Origin: https://evil.example")) {
            assertThat(sse.header("Access-Control-Allow-Origin")).as("another site cannot read the stream").isNull();
        }
        test.restart(config().allowedOrigins(java.util.List.of("*")));
        try (SseConnection sse = SseConnection.open(port(), "/sse?channel=news", "Origin: https://any.example")) {
            assertThat(sse.header("Access-Control-Allow-Origin")).as("* allows any origin, named").isEqualTo("https://any.example");
        }
    }

    @Test
    void malformedCursorIs400Json() throws Exception {
        assertError("/sse?channel=news", new String[] {"Last-Event-ID: seven"}, 400, "bad_cursor");
    }

    @Test
    void malformedSinceParameterIs400Json() throws Exception {
        assertError("/sse?channel=news&since=x:1", new String[0], 400, "bad_cursor");
    }

    @Test
    void plainCursorForSeveralChannelsIs400Json() throws Exception {
        assertError("/sse?channel=a&channel=b&since=1:abc", new String[0], 400, "bad_cursor");
    }

    @Test
    void invalidChannelIs400Json() throws Exception {
        assertError("/sse?channel=no%20spaces", new String[0], 400, "bad_channel");
    }

    @Test
    void missingChannelIs400Json() throws Exception {
        assertError("/sse", new String[0], 400, "bad_request");
    }

    private void assertError(String path, String[] headers, int status, String code) throws IOException {
        try (SseConnection sse = SseConnection.open(port(), path, headers)) {
            assertThat(sse.status).isEqualTo(status);
            assertThat(sse.header("Content-Type")).startsWith("application/json");
            JsonNode error = JSON.readTree(sse.fixedBody()).get("error");
            assertThat(error.get("code").asText()).isEqualTo(code);
            assertThat(error.get("message").asText()).isNotBlank();
        }
    }
}
