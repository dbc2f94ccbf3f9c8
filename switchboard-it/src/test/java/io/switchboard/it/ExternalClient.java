package io.switchboard.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a third-party client script (Node, Python) as a process and collects the JSON lines it
 * prints about what it observed.
 */
final class ExternalClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private ExternalClient() {
    }

    /** Runs {@code command} in {@code dir}; fails with its output unless it exits 0 within 60 s. */
    static List<JsonNode> run(Path dir, List<String> command) throws IOException, InterruptedException {
        Path output = Files.createTempFile("switchboard-it-client", ".out");
        try {
            Process process = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .start();
            boolean exited = process.waitFor(60, TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            String printed = Files.readString(output, StandardCharsets.UTF_8);
            if (!exited || process.exitValue() != 0) {
                throw new AssertionError(command + (exited ? " exited " + process.exitValue() : " timed out")
                        + ", printing:\n" + printed);
            }
            List<JsonNode> records = new ArrayList<>();
            for (String line : printed.split("\n")) {
                if (line.startsWith("{")) {
                    records.add(JSON.readTree(line));
                }
            }
            return records;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** The one record whose {@code event} field is {@code event}. */
    static JsonNode event(List<JsonNode> records, String event) {
        List<JsonNode> found = records.stream().filter(r -> event.equals(r.path("event").asText())).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one \"" + event + "\" record in " + records);
        }
        return found.get(0);
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
