package io.switchboard.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.core.access.Namespace;
import io.switchboard.server.ServerConfig;
import io.switchboard.server.auth.TokenVerifier;
import io.switchboard.server.auth.Tokens;
import io.switchboard.server.SwitchboardServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.switchboard.server.ws.WsClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Replays the worked example of {@code docs/protocol.md} against a real server: every line a client
 * sends is sent, and every line it receives must be exactly what the server sends, except for
 * client ids and epochs, which differ on every run (each one in the doc stands for one real value).
 */
class ProtocolDocTest {

    private static final Pattern OPENS = Pattern.compile("(\\w+) opens (/\\S+)");
    private static final Pattern MESSAGE = Pattern.compile("(\\w+) ([<>]) (.*)");

    private static final String SECRET = "a-development-secret-of-32-bytes!";
    private static final Pattern TOKEN_FOR = Pattern.compile("<token-for-(\\w+)>");

    /** The server the doc describes: tokens name users, anonymous clients are served, clients may publish. */
    private final SwitchboardServer server = SwitchboardServer.start(new ServerConfig().host("127.0.0.1").port(0).demo(false)
            .tokens(TokenVerifier.hmac(SECRET)).anonymous(true)
            .namespaces(List.of(Namespace.open("", 1000, Duration.ofMinutes(10)).withClientPublish(true))));
    private final Map<String, WsClient> clients = new LinkedHashMap<>();
    /** Client ids and epochs: the doc's value to the value of this run. */
    private final Map<String, String> bound = new LinkedHashMap<>();

    @AfterEach
    void stop() {
        clients.values().forEach(WsClient::close);
        server.close();
    }

    @Test
    void theWorkedExampleIsWhatTheServerDoes() throws Exception {
        List<String> session = workedExample(Files.readString(docs().resolve("protocol.md")));
        assertThat(session).as("session lines in the worked example").hasSizeGreaterThan(20);

        for (String line : session) {
            Matcher opens = OPENS.matcher(line);
            Matcher message = MESSAGE.matcher(line);
            if (opens.matches()) {
                String path = TOKEN_FOR.matcher(opens.group(2))
                        .replaceAll(user -> Tokens.connection(SECRET, user.group(1), Duration.ofMinutes(5), List.of()));
                clients.put(opens.group(1), WsClient.connectRaw(server, path));
            } else if (message.matches()) {
                WsClient client = clients.get(message.group(1));
                assertThat(client).as("%s has opened a connection before: %s", message.group(1), line).isNotNull();
                if (message.group(2).equals(">")) {
                    client.send(toThisRun(message.group(3)));
                } else {
                    String received = client.nextText();
                    bind(JSON.readTree(message.group(3)), JSON.readTree(received), line);
                    assertThat(toTheDoc(received)).as("what %s receives", message.group(1)).isEqualTo(message.group(3));
                }
            } else {
                throw new AssertionError("not a session line: " + line);
            }
        }
    }

    /** The lines of the fenced blocks under "## Worked example". */
    private static List<String> workedExample(String markdown) {
        int start = markdown.indexOf("\n## Worked example");
        assertThat(start).as("docs/protocol.md has a worked example").isPositive();
        int end = markdown.indexOf("\n## ", start + 1);
        List<String> lines = new ArrayList<>();
        boolean inBlock = false;
        for (String line : markdown.substring(start, end < 0 ? markdown.length() : end).split("\n")) {
            if (line.startsWith("```")) {
                inBlock = !inBlock;
            } else if (inBlock && !line.isBlank()) {
                lines.add(line);
            }
        }
        return lines;
    }

    /** The repository's {@code docs/} directory, found upwards from the working directory. */
    static Path docs() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("docs"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("a docs/ directory above the working directory").isNotNull();
        return dir.resolve("docs");
    }

    /** Learns which real client id or epoch each of the doc's stands for, wherever the doc has one. */
    private void bind(JsonNode doc, JsonNode actual, String line) {
        if (doc.isObject()) {
            assertThat(actual.isObject()).as("%s: object expected, got %s", line, actual).isTrue();
            for (Map.Entry<String, JsonNode> field : doc.properties()) {
                JsonNode value = actual.get(field.getKey());
                if (value == null) {
                    continue; // the text comparison reports it
                }
                if ((field.getKey().equals("client") || field.getKey().equals("epoch")) && field.getValue().isTextual() && value.isTextual()) {
                    String previous = bound.putIfAbsent(field.getValue().asText(), value.asText());
                    assertThat(value.asText()).as("%s: the doc's %s %s is one value throughout", line, field.getKey(), field.getValue())
                            .isEqualTo(previous == null ? value.asText() : previous);
                } else {
                    bind(field.getValue(), value, line);
                }
            }
        } else if (doc.isArray() && actual.isArray()) {
            for (int i = 0; i < Math.min(doc.size(), actual.size()); i++) {
                bind(doc.get(i), actual.get(i), line);
            }
        }
    }

    private String toThisRun(String text) {
        for (Map.Entry<String, String> b : bound.entrySet()) {
            text = text.replace(b.getKey(), b.getValue());
        }
        return text;
    }

    private String toTheDoc(String text) {
        for (Map.Entry<String, String> b : bound.entrySet()) {
            text = text.replace(b.getValue(), b.getKey());
        }
        return text;
    }
}
