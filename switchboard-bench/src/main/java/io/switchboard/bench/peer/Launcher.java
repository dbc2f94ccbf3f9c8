package io.switchboard.bench.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The JVM settings {@code bin/switchboard} starts the server with: what {@code bin/jvm-options}
 * prints on this machine, then the user's {@code SWITCHBOARD_JAVA_OPTS}, in the launcher's order.
 * The bench starts its Switchboard peer with them, so it measures the server a user runs.
 */
public final class Launcher {

    /** The script, relative to the project's root, that prints the launcher's own flags. */
    static final String OPTIONS_SCRIPT = "bin/jvm-options";

    private Launcher() {
    }

    /** The launcher's flags followed by {@code SWITCHBOARD_JAVA_OPTS}. */
    public static List<String> jvmOptions() {
        Path script = script().orElseThrow(() -> new IllegalStateException(
                "cannot find " + OPTIONS_SCRIPT + ": set SWITCHBOARD_HOME to the Switchboard directory"));
        List<String> options = new ArrayList<>(split(run(script)));
        options.addAll(split(System.getenv("SWITCHBOARD_JAVA_OPTS")));
        return options;
    }

    /**
     * {@code $SWITCHBOARD_HOME/bin/jvm-options} (bin/switchboard and bin/bench-report set it), else the
     * first {@code bin/jvm-options} above the working directory or the bench's own jar or classes.
     */
    static Optional<Path> script() {
        String home = System.getenv("SWITCHBOARD_HOME");
        if (home != null && !home.isBlank()) {
            return Optional.of(Path.of(home, OPTIONS_SCRIPT)).filter(Files::isRegularFile);
        }
        return Stream.of(Path.of("").toAbsolutePath(), codeSource())
                .flatMap(start -> Stream.iterate(start, p -> p != null, Path::getParent))
                .map(dir -> dir.resolve(OPTIONS_SCRIPT))
                .filter(Files::isRegularFile)
                .findFirst();
    }

    private static Path codeSource() {
        try {
            return Path.of(Launcher.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of("").toAbsolutePath();
        }
    }

    private static String run(Path script) {
        try {
            Process process = new ProcessBuilder("bash", script.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(script + " failed");
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + script, e);
        }
    }

    private static List<String> split(String flags) {
        return flags == null || flags.isBlank() ? List.of() : List.of(flags.trim().split("\\s+"));
    }
}
