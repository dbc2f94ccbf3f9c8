package io.switchboard.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.switchboard.it.ExternalClient.JSON;
import static org.assertj.core.api.Assertions.assertThat;

/** The packaged {@code switchboard} jar as a user runs it: {@code serve}, a chat, then SIGTERM. */
class CliServeSmokeTest {

    static final Path JAR = Path.of(System.getProperty("switchboard.jar", "../switchboard-cli/target/switchboard.jar"));
    /** The server's default shutdown grace is 5 s; the process gets that plus JVM exit time. */
    static final long EXIT_WITHIN_SECONDS = 15;

    private final BlockingQueue<String> output = new LinkedBlockingQueue<>();
    private final StringBuffer transcript = new StringBuffer();
    private Process process;

    @AfterEach
    void killLeftover() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void servesChatPrintsItsUrlAndOnSigtermClosesClientsWith1001AndExitsZero() throws Exception {
        assertThat(JAR).as("switchboard-cli's packaged jar (built before this module)").isRegularFile();
        int port = freePort();
        process = new ProcessBuilder(javaExecutable(), "-jar", JAR.toString(),
                "serve", "--host", "127.0.0.1", "--port", Integer.toString(port))
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        process.getOutputStream().close();
        readOutput(process);

        String startup = awaitLine(Pattern.compile("(?:https?|wss?)://[^\\s/]+:" + port + "\\b"));
        assertThat(startup).as("the startup line names the endpoints").contains("/chat");

        JdkClient client = JdkClient.connect("ws://127.0.0.1:" + port + "/chat");
        assertThat(JSON.readTree(client.nextText()))
                .isEqualTo(JSON.createObjectNode().put("type", "welcome").put("message", "Connected!"));
        client.socket.sendText("{\"type\":\"chat\",\"username\":\"cli\",\"message\":\"smoke\"}", true)
                .get(5, TimeUnit.SECONDS);
        JsonNode chat = JSON.readTree(client.nextText());
        assertThat(chat.path("from").asText()).isEqualTo("cli");
        assertThat(chat.path("message").asText()).isEqualTo("smoke");

        process.destroy(); // SIGTERM, as Ctrl-C or a service manager would

        assertThat(client.awaitClose().code()).as("close code seen by the client").isEqualTo(1001);
        assertThat(process.waitFor(EXIT_WITHIN_SECONDS, TimeUnit.SECONDS))
                .as("exited within the grace period; output:\n%s", transcript).isTrue();
        assertThat(process.exitValue()).as("exit status; output:\n%s", transcript).isZero();
    }

    private void readOutput(Process process) {
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    transcript.append(line).append('\n');
                    output.add(line);
                }
            } catch (IOException e) {
                transcript.append("[reading output failed: ").append(e).append("]\n");
            }
        }, "cli-output");
        reader.setDaemon(true);
        reader.start();
    }

    private String awaitLine(Pattern pattern) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (;;) {
            String line = output.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line == null) {
                throw new AssertionError("no line matching " + pattern + " within 60 s; output:\n" + transcript);
            }
            Matcher matcher = pattern.matcher(line);
            if (matcher.find()) {
                return line;
            }
        }
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return probe.getLocalPort();
        }
    }
}
