package io.switchboard.server.poll;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.Message;
import io.switchboard.server.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.switchboard.server.TestServer.assertError;
import static io.switchboard.server.TestServer.config;
import static io.switchboard.server.TestServer.json;
import static io.switchboard.server.http.HttpResponses.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code GET /poll}: long and short polling from a cursor. */
class PollEndpointTest {

    /** A cap the tests can tell apart from an answer at once and from a wait the request asked for. */
    private static final Duration CAP = Duration.ofSeconds(3);

    private final TestServer http = new TestServer(config());

    @AfterEach
    void stop() {
        http.close();
    }

    @Test
    void answersAtOnceWhenMessagesAfterTheCursorExist() throws Exception {
        Message first = http.publish("feed", "{\"n\":1}");
        Message second = http.publish("feed", "{\"n\":2}");
        Message third = http.publish("feed", "[3, \"three\"]");

        // Held for up to 30 s if it did not answer at once; the client gives up after 10.
        HttpResponse<String> response = http.get("/poll?channel=feed&since=" + first.position() + "&wait=30");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).as("no Origin, no CORS").isEmpty();
        assertThat(json(response)).isEqualTo(JSON.readTree("{\"messages\":["
                + "{\"channel\":\"feed\",\"offset\":2,\"epoch\":\"" + second.epoch() + "\",\"data\":{\"n\":2}},"
                + "{\"channel\":\"feed\",\"offset\":3,\"epoch\":\"" + third.epoch() + "\",\"data\":[3,\"three\"]}],"
                + "\"cursor\":\"" + third.position() + "\",\"recovered\":true}"));
    }

    @Test
    void holdsThenAnswersWhenAMessageIsPublished() throws Exception {
        CompletableFuture<HttpResponse<String>> poll = http.getAsync("/poll?channel=feed&since=" + http.cursor("feed") + "&wait=30");
        TestServer.await("the poll is held", () -> http.server().heldPollCount() == 1);
        assertThat(poll).isNotDone();

        Message message = http.publish("feed", "{\"n\":1}");

        JsonNode answer = json(poll.get(10, TimeUnit.SECONDS));
        assertThat(answer.get("messages")).hasSize(1);
        assertThat(answer.get("messages").get(0).get("data")).isEqualTo(JSON.readTree("{\"n\":1}"));
        assertThat(answer.get("cursor").asText()).isEqualTo(message.position().toString());
        assertThat(http.server().heldPollCount()).isZero();
    }

    @Test
    void timesOutWithAnEmptyListAndTheSameCursor() throws Exception {
        String since = http.cursor("quiet");

        JsonNode answer = json(http.get("/poll?channel=quiet&since=" + since + "&wait=0.05"));

        assertThat(answer).isEqualTo(JSON.readTree("{\"messages\":[],\"cursor\":\"" + since + "\",\"recovered\":true}"));
    }

    @Test
    void shortPollWithoutCursorAnswersAtOnceWithTheCurrentCursor() throws Exception {
        Message latest = http.publish("feed", "1");

        JsonNode answer = json(http.get("/poll?channel=feed&wait=0"));

        assertThat(answer.get("messages")).isEmpty();
        assertThat(answer.get("cursor").asText()).isEqualTo(latest.position().toString());
    }

    @Test
    void waitOverTheCapIsCappedNotRefused() throws Exception {
        http.restart(config().maxPollWait(CAP));

        long start = System.nanoTime();
        HttpResponse<String> response = http.get("/poll?channel=quiet&wait=3600"); // the client gives up after 10 s

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("messages")).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("held for the cap").isGreaterThanOrEqualTo(CAP);
    }

    @Test
    void waitUnderTheCapIsHeldForThatLongOnly() throws Exception {
        http.restart(config().maxPollWait(CAP));

        long start = System.nanoTime();
        HttpResponse<String> response = http.get("/poll?channel=quiet&wait=0.3");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response).get("messages")).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("held for the 0.3 s asked, not the default or the cap")
                .isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(CAP);
    }

    @Test
    void severalChannelsAnswerWithAMultiCursor() throws Exception {
        String epoch = http.cursor("a").substring(2);
        Message a = http.publish("a", "\"a1\"");
        Message b = http.publish("b", "\"b1\"");

        JsonNode answer = json(http.get("/poll?channel=a&channel=b&wait=5&since=a%3D0%3A" + epoch + "%20b%3D0%3A" + epoch));

        assertThat(answer.get("messages")).extracting(m -> m.get("data").asText()).containsExactly("a1", "b1");
        assertThat(answer.get("cursor").asText()).isEqualTo("a=" + a.position() + " b=" + b.position());
    }

    @Test
    void aCursorFromBeforeARestartOnTheSamePortIsAnsweredAtOnceWithTheNewPosition() throws Exception {
        http.publish("feed", "1");
        Message before = http.publish("feed", "2");
        http.restart(config().port(http.server().port()));
        Message after = http.publish("feed", "\"after the restart\"");

        // Held for up to 30 s if it did not answer at once; the client gives up after 10.
        JsonNode answer = json(http.get("/poll?channel=feed&since=" + before.position() + "&wait=30"));

        assertThat(after.epoch()).as("a new server's history is a new epoch").isNotEqualTo(before.epoch());
        assertThat(answer).isEqualTo(JSON.readTree("{\"messages\":[],\"cursor\":\"" + after.position() + "\",\"recovered\":false}"));
    }

    @Test
    void aCursorFromAnotherEpochIsAnsweredAtOnceAsNotRecovered() throws Exception {
        http.publish("feed", "1");

        // Held for up to 30 s if it did not answer at once; the client gives up after 10.
        JsonNode answer = json(http.get("/poll?channel=feed&since=1:another&wait=30"));

        assertThat(answer.get("recovered").asBoolean()).isFalse();
        assertThat(answer.get("cursor").asText()).isEqualTo(http.cursor("feed"));
    }

    @Test
    void releasesAHeldPollWhenTheClientGoesAway() throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", http.server().port()));
            socket.getOutputStream().write("GET /poll?channel=feed&wait=30 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            TestServer.await("the poll is held", () -> http.server().heldPollCount() == 1);
        }
        TestServer.await("the poll is released", () -> http.server().heldPollCount() == 0);
        TestServer.await("the connection is gone", () -> http.server().connectionCount() == 0);
    }

    @Test
    void shutdownAnswersHeldPollsWithWhatTheyHave() throws Exception {
        String since = http.cursor("feed");
        CompletableFuture<HttpResponse<String>> poll = http.getAsync("/poll?channel=feed&wait=30&since=" + since);
        TestServer.await("the poll is held", () -> http.server().heldPollCount() == 1);

        http.server().close();

        HttpResponse<String> response = poll.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(JSON.readTree("{\"messages\":[],\"cursor\":\"" + since + "\",\"recovered\":true}"));
    }

    @Test
    void aPollFromTheStartOfALargeChannelAnswersAPageAndTheCursorToGoOnFrom() throws Exception {
        http.restart(config().maxReplyBytes(100_000));
        String big = "\"" + "x".repeat(40_000) + "\"";
        Message first = http.publish("large", big);
        http.publish("large", big);
        Message third = http.publish("large", big);
        Message fourth = http.publish("large", big);
        String since = "0:" + first.epoch();

        JsonNode page = json(http.get("/poll?channel=large&wait=0&since=" + since));
        assertThat(page.path("messages")).as("two of 40 kB fit in 100 kB, the third does not").hasSize(2);
        JsonNode next = json(http.get("/poll?channel=large&wait=0&since=" + page.path("cursor").asText()));

        assertThat(next.path("messages")).extracting(m -> m.path("offset").asLong()).containsExactly(third.offset(), fourth.offset());
        assertThat(next.path("recovered").asBoolean()).isTrue();
    }

    @Test
    void malformedCursorIs400Json() throws Exception {
        assertError(http.get("/poll?channel=feed&since=abc"), 400, "bad_cursor");
    }

    @Test
    void invalidChannelIs400Json() throws Exception {
        assertError(http.get("/poll?channel=bad%22name"), 400, "bad_channel");
    }

    @Test
    void missingChannelIs400Json() throws Exception {
        assertError(http.get("/poll?wait=1"), 400, "bad_request");
    }

    @Test
    void waitThatIsNotANumberIs400Json() throws Exception {
        assertError(http.get("/poll?channel=feed&wait=soon"), 400, "bad_request");
    }

    @Test
    void negativeWaitIs400Json() throws Exception {
        assertError(http.get("/poll?channel=feed&wait=-1"), 400, "bad_request");
    }

    @Test
    void theConnectionServesTheNextPollAfterAnAnswer() throws Exception {
        http.publish("feed", "1");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", http.server().port()));
            socket.setSoTimeout(10_000);
            String request = "GET /poll?channel=feed&wait=0 HTTP/1.1\r\nHost: x\r\n\r\n";
            socket.getOutputStream().write((request + request).getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            assertThat(readResponse(in)).startsWith("HTTP/1.1 200").contains("\"cursor\":\"1:");
            assertThat(readResponse(in)).startsWith("HTTP/1.1 200").contains("\"cursor\":\"1:");
        }
    }

    private static String readResponse(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.read());
        }
        int length = Integer.parseInt(head.toString().replaceAll("(?s).*content-length: (\\d+).*", "$1"));
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
