package io.switchboard.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.access.Namespace;
import io.switchboard.server.ServerConfig;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.server.auth.TokenVerifier;
import io.switchboard.server.auth.Tokens;
import io.switchboard.testkit.Frame;
import io.switchboard.testkit.RawWebSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Who may do what over {@code ws /ws}: tokens, namespaces, and the refusals a client sees. */
class ProtocolAccessTest {

    private static final String SECRET = "a-development-secret-of-32-bytes!";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int UNAUTHORIZED = 108;
    private static final int FORBIDDEN = 109;

    private SwitchboardServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private SwitchboardServer start(ServerConfig config) {
        server = SwitchboardServer.start(config.host("127.0.0.1").port(0).demo(false));
        return server;
    }

    private static ServerConfig withTokens() {
        Namespace defaults = Namespace.open("", 100, Duration.ofMinutes(10));
        return new ServerConfig().tokens(TokenVerifier.hmac(SECRET)).namespaces(List.of(defaults,
                defaults.withName("room").withSubscribe(Namespace.SubscribePolicy.AUTHENTICATED).withClientPublish(true),
                defaults.withName("private").withSubscribe(Namespace.SubscribePolicy.TOKEN)));
    }

    private static String token(String user, Duration ttl) {
        return Tokens.connection(SECRET, user, ttl, List.of());
    }

    private static void assertError(JsonNode reply, long id, int code) {
        assertThat(reply.path("id").asLong()).as("%s", reply).isEqualTo(id);
        assertThat(reply.path("error").path("code").asInt()).as("%s", reply).isEqualTo(code);
        assertThat(reply.path("error").path("message").asText()).isNotBlank();
    }

    @Test
    void byDefaultClientsReadEveryChannelButPublishToNone() throws Exception {
        start(new ServerConfig());
        try (WsClient client = WsClient.connect(server)) {
            assertThat(client.request("{\"id\":1,\"subscribe\":{\"channel\":\"news\"}}").has("subscribe")).isTrue();
            assertError(client.request("{\"id\":2,\"publish\":{\"channel\":\"news\",\"data\":1}}"), 2, FORBIDDEN);
        }
    }

    @Test
    void theLessonsChannelsCannotBeForgedByAWsClientEvenWhereClientsMayPublish() throws Exception {
        start(new ServerConfig().namespaces(List.of(Namespace.open("", 100, Duration.ofMinutes(10)).withClientPublish(true))));
        try (WsClient client = WsClient.connect(server)) {
            assertThat(client.request("{\"id\":1,\"publish\":{\"channel\":\"news\",\"data\":1}}").has("publish")).isTrue();
            long id = 2;
            for (String lessonChannel : List.of("chat", "prices", "notifications")) {
                assertError(client.request("{\"id\":" + id + ",\"publish\":{\"channel\":\"" + lessonChannel
                        + "\",\"data\":{\"type\":\"chat\",\"from\":\"admin\",\"message\":\"forged\"}}}"), id, FORBIDDEN);
                id++;
            }
        }
    }

    @Test
    void theDemoBoardStaysOpenToClientPublishing() throws Exception {
        start(new ServerConfig());
        try (WsClient client = WsClient.connect(server)) {
            assertThat(client.request("{\"id\":1,\"publish\":{\"channel\":\"demo:board\",\"data\":{\"text\":\"hi\"}}}").has("publish")).isTrue();
        }
    }

    @Test
    void presenceIsOnlyForSubscribers() throws Exception {
        start(new ServerConfig());
        try (WsClient client = WsClient.connect(server)) {
            assertError(client.request("{\"id\":1,\"presence\":{\"channel\":\"news\"}}"), 1, FORBIDDEN);
            client.request("{\"id\":2,\"subscribe\":{\"channel\":\"news\"}}");
            assertThat(client.request("{\"id\":3,\"presence\":{\"channel\":\"news\"}}").has("presence")).isTrue();
        }
    }

    @Test
    void withTokensAnAnonymousClientMustConnectBeforeAnythingElse() throws Exception {
        start(withTokens());
        try (WsClient client = WsClient.connect(server)) {
            assertError(client.request("{\"id\":1,\"subscribe\":{\"channel\":\"news\"}}"), 1, UNAUTHORIZED);
            assertError(client.request("{\"id\":2,\"connect\":{\"token\":\"not.a.jwt\"}}"), 2, UNAUTHORIZED);

            JsonNode connected = client.request("{\"id\":3,\"connect\":{\"token\":\"" + token("alice", Duration.ofMinutes(5)) + "\"}}");
            assertThat(connected.path("connect").path("user").asText()).isEqualTo("alice");
            assertThat(connected.path("connect").path("expires").asLong()).isPositive();
            assertThat(client.request("{\"id\":4,\"subscribe\":{\"channel\":\"room:a\"}}").has("subscribe")).isTrue();
        }
    }

    @Test
    void aBadTokenOnTheHandshakeIsRefusedWith401BeforeTheUpgrade() {
        start(withTokens());
        assertThatThrownBy(() -> RawWebSocket.connect(URI.create("ws://127.0.0.1:" + server.port() + "/ws?token=forged")))
                .isInstanceOfSatisfying(RawWebSocket.HandshakeException.class,
                        refused -> assertThat(refused.response().status()).isEqualTo(401));
    }

    @Test
    void anAuthorizationHeaderAuthenticatesTheHandshake() throws Exception {
        start(withTokens());
        RawWebSocket webSocket = RawWebSocket.connect(URI.create("ws://127.0.0.1:" + server.port() + "/ws"),
                Map.of("Authorization", "Bearer " + token("carol", Duration.ofMinutes(5))), TIMEOUT);
        try (WsClient client = new WsClient(webSocket, null)) {
            client.next(); // the connect push
            assertThat(client.request("{\"id\":1,\"subscribe\":{\"channel\":\"room:a\"}}").has("subscribe")).isTrue();
            assertThat(client.request("{\"id\":2,\"presence\":{\"channel\":\"room:a\"}}").path("presence").path("clients").get(0)
                    .path("user").asText()).as("presence shows the verified user").isEqualTo("carol");
        }
    }

    @Test
    void aUserNamedInTheQueryIsNotTheConnectionsUserAnAnonymousClientStaysAnonymous() throws Exception {
        start(new ServerConfig());
        try (WsClient claimer = WsClient.connect(server, "?user=admin")) {
            claimer.request("{\"id\":1,\"subscribe\":{\"channel\":\"news\"}}");
            JsonNode present = claimer.request("{\"id\":2,\"presence\":{\"channel\":\"news\"}}").path("presence").path("clients");

            assertThat(present).hasSize(1);
            assertThat(present.get(0).path("client").asText()).isEqualTo(claimer.clientId);
            assertThat(present.get(0).path("user").asText(null)).as("presence of %s", present).isNull();
            assertThat(present.toString()).doesNotContain("admin");
        }
    }

    @Test
    void aUserNamedInTheQueryIsNotTheConnectionsUserTheTokensSubIs() throws Exception {
        start(withTokens());
        try (WsClient alice = WsClient.connect(server, "?user=mallory&token=" + token("alice", Duration.ofMinutes(5)));
             WsClient claimer = WsClient.connect(server, "?user=alice")) {
            assertThat(alice.request("{\"id\":1,\"subscribe\":{\"channel\":\"room:a\"}}").has("subscribe")).isTrue();
            JsonNode present = alice.request("{\"id\":2,\"presence\":{\"channel\":\"room:a\"}}").path("presence").path("clients");
            assertThat(present).extracting(c -> c.path("user").asText()).as("presence shows the token's user").containsExactly("alice");

            // Without a token, naming a user in the query proves nothing: still anonymous, refused where users are needed.
            assertError(claimer.request("{\"id\":1,\"subscribe\":{\"channel\":\"room:a\"}}"), 1, UNAUTHORIZED);
        }
    }

    @Test
    void aSubscriptionTokenOpensItsPrivateChannelAndNothingElse() throws Exception {
        start(withTokens());
        try (WsClient client = WsClient.connect(server, "?token=" + token("alice", Duration.ofMinutes(5)))) {
            String grant = Tokens.subscription(SECRET, "alice", "private:plans", Duration.ofMinutes(5));
            assertError(client.request("{\"id\":1,\"subscribe\":{\"channel\":\"private:plans\"}}"), 1, FORBIDDEN);
            assertError(client.request("{\"id\":2,\"subscribe\":{\"channel\":\"private:other\",\"token\":\"" + grant + "\"}}"), 2, FORBIDDEN);
            assertThat(client.request("{\"id\":3,\"subscribe\":{\"channel\":\"private:plans\",\"token\":\"" + grant + "\"}}").has("subscribe")).isTrue();
        }
    }

    @Test
    void userLimitedChannelsAreOnlyForTheirUser() throws Exception {
        start(withTokens());
        try (WsClient bob = WsClient.connect(server, "?token=" + token("bob", Duration.ofMinutes(5)))) {
            assertError(bob.request("{\"id\":1,\"subscribe\":{\"channel\":\"user:#alice\"}}"), 1, FORBIDDEN);
            assertThat(bob.request("{\"id\":2,\"subscribe\":{\"channel\":\"user:#bob\"}}").has("subscribe")).isTrue();
        }
    }

    @Test
    void aConnectionWhoseTokenExpiresUnrefreshedIsClosedWith3000() throws Exception {
        start(withTokens());
        RawWebSocket webSocket = RawWebSocket.connect(URI.create("ws://127.0.0.1:" + server.port() + "/ws?token="
                + token("alice", Duration.ofSeconds(4))));
        try (WsClient client = new WsClient(webSocket, null)) {
            client.next();
            Frame close;
            do {
                close = webSocket.readFrame(TIMEOUT);
                assertThat(close).as("a close within %s", TIMEOUT).isNotNull();
            } while (close.opcode() != Frame.CLOSE);
            assertThat(close.closeCode()).isEqualTo(3000);
        }
    }

    @Test
    void aRefreshBeforeExpiryKeepsTheConnectionOpenPastTheFirstExp() throws Exception {
        start(withTokens());
        String first = token("alice", Duration.ofSeconds(2));
        Instant firstExpiry = TokenVerifier.hmac(SECRET).verifyConnection(first).expiresAt();
        try (WsClient client = WsClient.connect(server, "?token=" + first)) {
            JsonNode refreshed = client.request("{\"id\":1,\"refresh\":{\"token\":\"" + token("alice", Duration.ofMinutes(5)) + "\"}}");
            assertThat(refreshed.path("refresh").path("user").asText()).isEqualTo("alice");
            assertError(client.request("{\"id\":2,\"refresh\":{\"token\":\"" + token("mallory", Duration.ofMinutes(5)) + "\"}}"), 2, FORBIDDEN);

            // Let the first token's exp pass, with room for the server's timer to have fired.
            while (Instant.now().isBefore(firstExpiry.plusMillis(500))) {
                Thread.sleep(50);
            }
            assertThat(client.request("{\"id\":3,\"subscribe\":{\"channel\":\"room:a\"}}").has("subscribe"))
                    .as("still open and authenticated after the first exp").isTrue();
        }
    }

    @Test
    void theTokensChannelsClaimSubscribesAtConnect() throws Exception {
        start(withTokens());
        String token = Tokens.connection(SECRET, "alice", Duration.ofMinutes(5), List.of("room:a"));
        try (WsClient client = WsClient.connect(server, "?token=" + token)) {
            JsonNode subscribed = client.next();
            assertThat(subscribed.path("subscribe").path("channel").asText()).as("%s", subscribed).isEqualTo("room:a");
            server.hub().publish("room:a", "{\"n\":1}", null).toCompletableFuture().get();
            assertThat(client.next().path("pub").path("data").path("n").asInt()).isEqualTo(1);
        }
    }

    @Test
    void aFloodOfCommandsIsRefusedWith110ThenClosedWith1008() throws Exception {
        start(new ServerConfig().maxCommandsPerSecond(5));
        RawWebSocket webSocket = RawWebSocket.connect(URI.create("ws://127.0.0.1:" + server.port() + "/ws"));
        try (WsClient client = new WsClient(webSocket, null)) {
            client.next(); // the connect push
            // Sent back to back, so that a slow machine refills the allowance by a command or two at most.
            for (int i = 1; i <= 40; i++) {
                client.send("{\"id\":" + i + ",\"history\":{\"channel\":\"news\",\"limit\":0}}");
            }
            for (int i = 1; i <= 10; i++) {
                assertThat(client.next().path("id").asInt()).as("the burst is answered").isEqualTo(i);
            }
            JsonNode reply;
            do {
                reply = client.next();
                assertThat(reply.path("id").asInt()).as("refused before the last command: %s", reply).isLessThan(40);
            } while (!reply.has("error"));
            assertThat(reply.path("error").path("code").asInt()).isEqualTo(110);
            Frame frame;
            do {
                frame = webSocket.readFrame(TIMEOUT);
                assertThat(frame).as("a close within %s", TIMEOUT).isNotNull();
            } while (frame.opcode() != Frame.CLOSE);
            assertThat(frame.closeCode()).isEqualTo(1008);
        }
    }

    @Test
    void aNamespaceWithoutJoinLeaveSendsNoJoinPushes() throws Exception {
        Namespace quiet = new Namespace("quiet", Namespace.SubscribePolicy.ANYONE, false, true, false, true, 10, Duration.ofMinutes(1));
        start(new ServerConfig().namespaces(List.of(quiet)));
        try (WsClient ann = WsClient.connect(server); WsClient bob = WsClient.connect(server)) {
            assertThat(ann.request("{\"id\":1,\"subscribe\":{\"channel\":\"quiet:a\"}}").has("subscribe")).isTrue();
            assertThat(bob.request("{\"id\":1,\"subscribe\":{\"channel\":\"quiet:a\"}}").has("subscribe")).isTrue();

            JsonNode next = ann.request("{\"id\":2,\"presence\":{\"channel\":\"quiet:a\"}}");
            assertThat(next.path("id").asInt()).as("no join push came first: %s", next).isEqualTo(2);
            assertThat(next.path("presence").path("clients")).hasSize(2);
        }
    }

    @Test
    void aHistoryReplyIsAPageOfAtMostMaxReplyBytesAndTheClientPagesOn() throws Exception {
        start(new ServerConfig().maxReplyBytes(100_000));
        String big = "\"" + "x".repeat(40_000) + "\"";
        for (int i = 0; i < 3; i++) {
            server.hub().publish("big", big, null).toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
        }
        try (WsClient client = WsClient.connect(server)) {
            JsonNode page = client.request("{\"id\":1,\"history\":{\"channel\":\"big\",\"limit\":100}}").path("history");
            assertThat(page.path("publications")).extracting(p -> p.path("offset").asLong()).containsExactly(1L, 2L);
            assertThat(page.path("offset").asLong()).as("the channel's position says more is kept").isEqualTo(3);

            String epoch = page.path("epoch").asText();
            JsonNode rest = client.request("{\"id\":2,\"history\":{\"channel\":\"big\",\"since\":\"2:" + epoch + "\",\"limit\":100}}");
            assertThat(rest.path("history").path("publications")).extracting(p -> p.path("offset").asLong()).containsExactly(3L);
        }
    }
}
