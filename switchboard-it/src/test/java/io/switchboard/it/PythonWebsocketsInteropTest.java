package io.switchboard.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.switchboard.it.ExternalClient.event;
import static org.assertj.core.api.Assertions.assertThat;

/** Python's {@code websockets} (Debian package python3-websockets) as a client of /echo. */
class PythonWebsocketsInteropTest {

    static final Path SCRIPT_DIR = NodeWsInteropTest.NODE_DIR.resolveSibling("python");
    @RegisterExtension
    static final LoopbackServer server = new LoopbackServer();

    @Test
    void echoesTextAndBytesAndTheClientsCloseCode() throws Exception {
        List<JsonNode> records = ExternalClient.run(SCRIPT_DIR,
                List.of(python(), "websockets_client.py", server.webSocketUrl("")));

        assertThat(event(records, "text").path("data").asText()).isEqualTo("grüße aus python ✓");
        JsonNode binary = event(records, "binary");
        assertThat(binary.path("isBytes").asBoolean()).isTrue();
        assertThat(binary.path("hex").asText()).isEqualTo("0080ff");
        JsonNode close = event(records, "close");
        assertThat(close.path("code").asInt()).isEqualTo(4001);
    }

    /**
     * The first python3 that can import websockets: the one on PATH, else Debian's own (a PATH
     * may put a version manager's python3, without Debian's modules, first).
     */
    static String python() throws IOException, InterruptedException {
        for (String candidate : List.of(System.getProperty("switchboard.it.python", "python3"), "/usr/bin/python3")) {
            try {
                Process probe = new ProcessBuilder(candidate, "-c", "import websockets")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0) {
                    return candidate;
                }
            } catch (IOException notInstalled) {
                // try the next candidate
            }
        }
        throw new AssertionError("no python3 with the websockets module (Debian: python3-websockets)");
    }
}
