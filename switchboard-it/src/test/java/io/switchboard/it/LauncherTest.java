package io.switchboard.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/switchboard} as a user runs it: its own JVM settings ({@code bin/jvm-options}) first,
 * the user's {@code SWITCHBOARD_JAVA_OPTS} after them, so the user's choice wins.
 */
class LauncherTest {

    static final Path ROOT = ServeProcess.JAR.toAbsolutePath().getParent().getParent().getParent();

    @Test
    void startsTheJvmWithTheSettingsOfBinJvmOptions() throws Exception {
        List<String> chosen = Arrays.stream(run(ROOT.resolve("bin/jvm-options").toString(), "").trim().split("\\s+"))
                .filter(flag -> flag.startsWith("-XX:+Use")).toList();

        String flags = run(launcher(), "-XX:+PrintCommandLineFlags", "--version");

        assertThat(flags).contains(chosen).contains("switchboard ");
    }

    @Test
    void passesTheUsersJavaOptionsLastSoTheUsersYoungGenerationWins() throws Exception {
        String flags = run(launcher(), "-Xmn48m -XX:+PrintCommandLineFlags", "--version");

        assertThat(flags).contains("-XX:MaxNewSize=50331648").contains("switchboard ");
    }

    @Test
    void leavesTheCollectorToTheUserWhenTheyNameOne() throws Exception {
        for (String collector : List.of("-XX:+UseG1GC", "-XX:+UseParallelGC", "-XX:+UseSerialGC")) {
            String flags = run(launcher(), collector + " -XX:+PrintCommandLineFlags", "--version");

            assertThat(flags).contains(collector).contains("switchboard ");
        }
    }

    private static String launcher() {
        assertThat(ServeProcess.JAR).as("switchboard-cli's packaged jar (built before this module)").isRegularFile();
        return ROOT.resolve("bin/switchboard").toString();
    }

    /** Runs {@code script args} with {@code SWITCHBOARD_JAVA_OPTS=javaOpts}; returns its output, failing on a non-zero exit. */
    private static String run(String script, String javaOpts, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", script));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("SWITCHBOARD_JAVA_OPTS", javaOpts);
        Process process = builder.start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s finished", script).isTrue();
        assertThat(process.exitValue()).as("exit status of %s; output:\n%s", script, output).isZero();
        return output;
    }
}
