package io.switchboard.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.HubConfig;
import io.switchboard.core.Message;
import io.switchboard.core.access.Namespace;
import io.switchboard.server.ServerConfig;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.server.auth.TokenVerifier;
import io.switchboard.server.auth.Tokens;
import io.switchboard.testkit.Frame;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.switchboard.server.ws.WsClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code ws /ws} as a client sees it: replies, pushes, recovery, presence, and an error reply for every bad input. */
class WsEndpointTest {

    private static final String SECRET = "a-development-secret-of-32-bytes!";

    /**
     * History keeps 3 messages; a connection may hold 2 subscriptions; names up to 32 characters;
     * clients may publish; tokens name users, and clients without one are served too.
     */
    private final SwitchboardServer server = SwitchboardServer.start(new ServerConfig()
            .host("127.0.0.1").port(0).demo(false)
            .hub(new HubConfig(3, Duration.ofMinutes(10), 32, 2))
            .namespaces(List.of(Namespace.open("", 3, Duration.ofMinutes(10)).withClientPublish(true)))
            .tokens(TokenVerifier.hmac(SECRET)).anonymous(true));

    /** The handshake query naming {@code user} with a connection token. */
    private static String as(String user) {
        return "?token=" + Tokens.connection(SECRET, user, Duration.ofMinutes(5), List.of());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Message publish(String channel, String data) throws Exception {
        return server.hub().publish(channel, data, null).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    /** Subscribes {@code client} to {@code channel} and checks the reply is not an error. */
    private static JsonNode subscribe(WsClient client, long id, String channel) throws Exception {
        JsonNode reply = client.request("{\"id\":" + id + ",\"subscribe\":{\"channel\":\"" + channel + "\"}}");
        assertThat(reply.path("subscribe").path("channel").asText()).as("subscribe reply %s", reply).isEqualTo(channel);
        return reply;
    }

    @Test
    void greetsEachConnectionWithItsOwnClientId() throws Exception {
        try (WsClient a = WsClient.connect(server); WsClient b = WsClient.connect(server)) {
            assertThat(a.clientId).isNotEqualTo(b.clientId);
        }
    }

    @Test
    void deliversAPublicationFromOneConnectionToAnotherAsAPubPush() throws Exception {
        try (WsClient reader = WsClient.connect(server); WsClient writer = WsClient.connect(server)) {
            JsonNode subscribed = subscribe(reader, 1, "news");
            String epoch = subscribed.path("subscribe").path("epoch").asText();
            assertThat(subscribed).isEqualTo(json("{\"id\":1,\"subscribe\":{\"channel\":\"news\",\"offset\":0,\"epoch\":\"" + epoch + "\",\"recovered\":false}}"));

            JsonNode published = writer.request("{\"id\":7,\"publish\":{\"channel\":\"news\",\"data\":{\"title\":\"hello\",\"n\":[1,2.50]}}}");

            assertThat(published).isEqualTo(json("{\"id\":7,\"publish\":{\"offset\":1,\"epoch\":\"" + epoch + "\"}}"));
            assertThat(reader.nextText()).isEqualTo(
                    "{\"pub\":{\"channel\":\"news\",\"offset\":1,\"epoch\":\"" + epoch + "\",\"data\":{\"title\":\"hello\",\"n\":[1,2.50]}}}");
        }
    }

    @Test
    void sendsTheSameBytesToEverySubscriber() throws Exception {
        try (WsClient a = WsClient.connect(server); WsClient b = WsClient.connect(server)) {
            subscribe(a, 1, "news");
            subscribe(b, 1, "news");
            assertThat(a.next().path("join").path("client").path("client").asText()).isEqualTo(b.clientId);
            publish("news", "{\"x\":\"y\"}");

            assertThat(a.nextText()).isEqualTo(b.nextText()).contains("\"data\":{\"x\":\"y\"}");
        }
    }

    @Test
    void recoversThePublicationsAfterTheCursorThenStreamsLive() throws Exception {
        Message first = publish("news", "1");
        publish("news", "2");
        publish("news", "3");
        try (WsClient client = WsClient.connect(server)) {
            String epoch = first.epoch();
            JsonNode reply = client.request("{\"id\":1,\"subscribe\":{\"channel\":\"news\",\"since\":\"1:" + epoch + "\"}}");
            assertThat(reply).isEqualTo(json("{\"id\":1,\"subscribe\":{\"channel\":\"news\",\"offset\":3,\"epoch\":\"" + epoch + "\",\"recovered\":true}}"));
            assertThat(client.next().path("pub").path("offset").asLong()).isEqualTo(2);
            assertThat(client.next().path("pub").path("offset").asLong()).isEqualTo(3);

            publish("news", "4");
            assertThat(client.next().path("pub")).isEqualTo(json("{\"channel\":\"news\",\"offset\":4,\"epoch\":\"" + epoch + "\",\"data\":4}"));
        }
    }

    @Test
    void saysRecoveredFalseForACursorOfAnotherEpochAndReplaysNothing() throws Exception {
        Message first = publish("news", "1");
        publish("news", "2");
        try (WsClient client = WsClient.connect(server)) {
            JsonNode reply = client.request("{\"id\":1,\"subscribe\":{\"channel\":\"news\",\"since\":\"1:previous-epoch\"}}");
            assertThat(reply).isEqualTo(json("{\"id\":1,\"subscribe\":{\"channel\":\"news\",\"offset\":2,\"epoch\":\"" + first.epoch() + "\",\"recovered\":false}}"));

            publish("news", "3");
            assertThat(client.next().path("pub").path("offset").asLong()).as("the next push is live, nothing replayed").isEqualTo(3);
        }
    }

    @Test
    void saysRecoveredFalseWithTheNewPositionForACursorFromBeforeARestartOnTheSamePort() throws Exception {
        publish("news", "1");
        Message before = publish("news", "2");
        int port = server.port();
        server.close();
        try (SwitchboardServer restarted = SwitchboardServer.start(new ServerConfig().host("127.0.0.1").port(port).demo(false));
             WsClient client = WsClient.connect(restarted)) {
            Message after = restarted.hub().publish("news", "\"after the restart\"", null).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(after.epoch()).as("a new server's history is a new epoch").isNotEqualTo(before.epoch());

            JsonNode reply = client.request("{\"id\":1,\"subscribe\":{\"channel\":\"news\",\"since\":\"" + before.position() + "\"}}");
            assertThat(reply).isEqualTo(json("{\"id\":1,\"subscribe\":{\"channel\":\"news\",\"offset\":1,\"epoch\":\"" + after.epoch() + "\",\"recovered\":false}}"));

            restarted.hub().publish("news", "3", null).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(client.next().path("pub")).as("the next push is live, nothing replayed")
                    .isEqualTo(json("{\"channel\":\"news\",\"offset\":2,\"epoch\":\"" + after.epoch() + "\",\"data\":3}"));
        }
    }

    @Test
    void saysRecoveredFalseForACursorOlderThanTheKeptHistory() throws Exception {
        Message first = publish("news", "1");
        for (int i = 2; i <= 6; i++) {
            publish("news", Integer.toString(i)); // history keeps 4..6
        }
        try (WsClient client = WsClient.connect(server)) {
            JsonNode reply = client.request("{\"id\":1,\"subscribe\":{\"channel\":\"news\",\"since\":\"" + first.position() + "\"}}");
            assertThat(reply.path("subscribe").path("recovered").asBoolean()).as("%s", reply).isFalse();
            assertThat(reply.path("subscribe").path("offset").asLong()).isEqualTo(6);

            publish("news", "7");
            assertThat(client.next().path("pub").path("offset").asLong()).isEqualTo(7);
        }
    }

    @Test
    void answersHistoryAfterACursorWithItsLimit() throws Exception {
        Message first = publish("news", "{\"n\":1}");
        publish("news", "{\"n\":2}");
        publish("news", "{\"n\":3}");
        String epoch = first.epoch();
        try (WsClient client = WsClient.connect(server)) {
            JsonNode afterFirst = client.request("{\"id\":4,\"history\":{\"channel\":\"news\",\"since\":\"1:" + epoch + "\",\"limit\":100}}");
            JsonNode limited = client.request("{\"id\":5,\"history\":{\"channel\":\"news\",\"limit\":1}}");

            assertThat(afterFirst).isEqualTo(json("{\"id\":4,\"history\":{\"publications\":[{\"offset\":2,\"data\":{\"n\":2}},"
                    + "{\"offset\":3,\"data\":{\"n\":3}}],\"offset\":3,\"epoch\":\"" + epoch + "\",\"recovered\":true}}"));
            assertThat(limited).isEqualTo(json("{\"id\":5,\"history\":{\"publications\":[{\"offset\":1,\"data\":{\"n\":1}}],"
                    + "\"offset\":3,\"epoch\":\"" + epoch + "\",\"recovered\":true}}"));
        }
    }

    @Test
    void listsPresenceAndPushesJoinAndLeaveToTheOthers() throws Exception {
        try (WsClient ann = WsClient.connect(server, as("ann"))) {
            subscribe(ann, 1, "room");
            WsClient bob = WsClient.connect(server, as("bob"));
            subscribe(bob, 1, "room");

            assertThat(ann.next()).isEqualTo(json("{\"join\":{\"channel\":\"room\",\"client\":{\"client\":\"" + bob.clientId + "\",\"user\":\"bob\"}}}"));
            assertThat(bob.request("{\"id\":2,\"presence\":{\"channel\":\"room\"}}")).isEqualTo(json("{\"id\":2,\"presence\":{\"clients\":["
                    + "{\"client\":\"" + ann.clientId + "\",\"user\":\"ann\"},{\"client\":\"" + bob.clientId + "\",\"user\":\"bob\"}]}}"));

            bob.close();
            assertThat(ann.next()).isEqualTo(json("{\"leave\":{\"channel\":\"room\",\"client\":{\"client\":\"" + bob.clientId + "\",\"user\":\"bob\"}}}"));
            assertThat(ann.request("{\"id\":3,\"presence\":{\"channel\":\"room\"}}").path("presence").path("clients"))
                    .isEqualTo(json("[{\"client\":\"" + ann.clientId + "\",\"user\":\"ann\"}]"));
        }
    }

    @Test
    void unsubscribeStopsDelivery() throws Exception {
        try (WsClient client = WsClient.connect(server)) {
            subscribe(client, 1, "news");
            subscribe(client, 2, "sports");
            assertThat(client.request("{\"id\":3,\"unsubscribe\":{\"channel\":\"news\"}}")).isEqualTo(json("{\"id\":3,\"unsubscribe\":{}}"));

            publish("news", "\"missed\"");
            publish("sports", "\"kept\"");

            assertThat(client.next().path("pub").path("channel").asText()).as("news is no longer delivered").isEqualTo("sports");
        }
    }

    // ---- bad input: an error reply, and the connection stays usable ----

    /** Sends {@code bad}, expects {@code expectedError}, then checks a history command still succeeds. */
    private static void assertRefusedAndStillUsable(WsClient client, String bad, long id, int code) throws Exception {
        JsonNode reply = client.request(bad);
        assertThat(reply.path("id").asLong()).as("reply %s", reply).isEqualTo(id);
        assertThat(reply.path("error").path("code").asInt()).as("reply %s", reply).isEqualTo(code);
        assertThat(reply.path("error").path("message").asText()).as("reply %s", reply).isNotBlank();
        JsonNode next = client.request("{\"id\":99,\"history\":{\"channel\":\"probe\",\"limit\":0}}");
        assertThat(next.path("id").asLong()).as("the next command after %s: %s", bad, next).isEqualTo(99);
        assertThat(next.path("history").path("publications").isArray()).as("the next command after %s: %s", bad, next).isTrue();
    }

    @ParameterizedTest(name = "{0}: {1} -> error {3}")
    @CsvSource(delimiter = '|', value = {
        "malformed cursor       | {\"id\":5,\"subscribe\":{\"channel\":\"news\",\"since\":\"seven\"}}    | 5 | 105",
        "cursor without epoch   | {\"id\":6,\"history\":{\"channel\":\"news\",\"since\":\"7:\"}}           | 6 | 105",
        "unknown command        | {\"id\":5,\"shout\":{\"channel\":\"news\"}}                                 | 5 | 102",
        "invalid JSON           | {\"id\":5,\"subscribe\":                                                        | 0 | 101",
        "not JSON at all        | hello                                                                            | 0 | 101",
        "invalid channel name   | {\"id\":5,\"subscribe\":{\"channel\":\"no spaces\"}}                         | 5 | 104",
        "channel name too long  | {\"id\":6,\"publish\":{\"channel\":\"abcdefghijklmnopqrstuvwxyz0123456\",\"data\":1}} | 6 | 104",
        "missing id             | {\"subscribe\":{\"channel\":\"news\"}}                                        | 0 | 103",
        "channel of wrong type  | {\"id\":5,\"subscribe\":{\"channel\":42}}                                     | 5 | 103",
    })
    void repliesWithAnErrorAndStaysUsable(String row, String bad, long id, int code) throws Exception {
        try (WsClient client = WsClient.connect(server)) {
            assertRefusedAndStillUsable(client, bad, id, code);
        }
    }

    @Test
    void repliesTooManySubscriptionsBeyondTheLimitAndKeepsTheOthers() throws Exception {
        try (WsClient client = WsClient.connect(server)) {
            subscribe(client, 1, "a");
            subscribe(client, 2, "b");

            assertRefusedAndStillUsable(client, "{\"id\":3,\"subscribe\":{\"channel\":\"c\"}}", 3, 107);

            publish("b", "\"still here\"");
            assertThat(client.next().path("pub").path("data").asText()).isEqualTo("still here");
        }
    }

    @Test
    void repliesAlreadySubscribedToASecondSubscribe() throws Exception {
        try (WsClient client = WsClient.connect(server)) {
            subscribe(client, 1, "a");
            assertRefusedAndStillUsable(client, "{\"id\":2,\"subscribe\":{\"channel\":\"a\"}}", 2, 106);
        }
    }

    @Test
    void repliesToABinaryMessageAndStaysUsable() throws Exception {
        try (WsClient client = WsClient.connect(server)) {
            client.webSocket.send(Frame.binary(new byte[] {1, 2, 3}));
            JsonNode reply = client.next();
            assertThat(reply.path("error").path("code").asInt()).as("%s", reply).isEqualTo(101);
            assertThat(client.request("{\"id\":1,\"presence\":{\"channel\":\"news\"}}").path("id").asLong()).isEqualTo(1);
        }
    }
}
