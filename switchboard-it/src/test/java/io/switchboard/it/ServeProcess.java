package io.switchboard.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code switchboard serve} from the packaged jar, as a user runs it, on a free loopback port. */
final class ServeProcess implements AutoCloseable {

    static final Path JAR = Path.of(System.getProperty("switchboard.jar", "../switchboard-cli/target/switchboard.jar"));
    /** The server's default shutdown grace is 5 s; the process gets that plus JVM exit time. */
    static final long EXIT_WITHIN_SECONDS = 15;

    private final BlockingQueue<String> output = new LinkedBlockingQueue<>();
    private final StringBuffer transcript = new StringBuffer();
    private final int port;
    private final Process process;
    private final String startup;

    private ServeProcess(int port, List<String> options) throws IOException, InterruptedException {
        assertThat(JAR).as("switchboard-cli's packaged jar (built before this module)").isRegularFile();
        this.port = port;
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-jar", JAR.toString(),
                "serve", "--host", "127.0.0.1", "--port", Integer.toString(port)));
        command.addAll(options);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .start();
        process.getOutputStream().close();
        readOutput();
        try {
            startup = awaitLine(Pattern.compile("(?:https?|wss?)://[^\\s/]+:" + port + "\\b"));
        } catch (AssertionError | InterruptedException e) {
            close();
            throw e;
        }
    }

    /** Starts {@code switchboard serve} with {@code options} after host and port; returns once it says it listens. */
    static ServeProcess start(String... options) throws IOException, InterruptedException {
        return new ServeProcess(freePort(), List.of(options));
    }

    /** Starts {@code switchboard serve} on {@code port} (one a killed node listened on) with {@code options}; returns once it says it listens. */
    static ServeProcess startOn(int port, String... options) throws IOException, InterruptedException {
        return new ServeProcess(port, List.of(options));
    }

    int port() {
        return port;
    }

    /** The line that says where it listens. */
    String startup() {
        return startup;
    }

    /** Sends SIGTERM, as Ctrl-C or a service manager would. */
    void terminate() {
        process.destroy();
    }

    /** Kills the process at once (SIGKILL, {@code kill -9}): no shutdown, its connections simply drop. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(EXIT_WITHIN_SECONDS, TimeUnit.SECONDS)).as("killed").isTrue();
    }

    /** Whether the process still runs. */
    boolean isAlive() {
        return process.isAlive();
    }

    /** Waits for the process to exit and checks that it exited with status 0. */
    void assertExitsZero() throws InterruptedException {
        assertThat(process.waitFor(EXIT_WITHIN_SECONDS, TimeUnit.SECONDS))
                .as("exited within the grace period; output:\n%s", transcript).isTrue();
        assertThat(process.exitValue()).as("exit status; output:\n%s", transcript).isZero();
    }

    /** Kills the process if it still runs. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void readOutput() {
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
