package io.switchboard.bench.peer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The lesson's own server: Node.js with the {@code ws} package, as the lesson writes it (see
 * {@code src/main/node/server.js} for the two marked changes). The script and its pinned
 * package-lock.json ship in the bench's resources; they are unpacked to a directory under the
 * temp directory, and {@code npm ci} installs {@code ws} there when it is missing or the lock changed.
 */
public final class NodeLessonPeer extends ProcessPeer {

    private static final String RESOURCES = "/node-lesson/";
    private static final List<String> FILES = List.of("server.js", "package.json", "package-lock.json");
    private static final long NPM_TIMEOUT_MINUTES = 5;

    private Path directory;

    @Override
    public String name() {
        return "node-lesson";
    }

    @Override
    public boolean isJvm() {
        return false;
    }

    @Override
    protected Path workingDirectory() throws IOException, InterruptedException {
        if (directory == null) {
            directory = install(Path.of(System.getProperty("java.io.tmpdir"), "switchboard-bench-node-lesson"));
        }
        return directory;
    }

    @Override
    protected List<String> command(int port) throws IOException, InterruptedException {
        return List.of("node", workingDirectory().resolve("server.js").toString(), Integer.toString(port));
    }

    /** Unpacks the server into {@code dir} and runs {@code npm ci} there unless ws is installed from the same lock. */
    static Path install(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        boolean lockChanged = false;
        for (String file : FILES) {
            byte[] bytes;
            try (InputStream in = NodeLessonPeer.class.getResourceAsStream(RESOURCES + file)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + RESOURCES + file);
                }
                bytes = in.readAllBytes();
            }
            Path target = dir.resolve(file);
            if (!Files.exists(target) || !Arrays.equals(Files.readAllBytes(target), bytes)) {
                Files.write(target, bytes);
                lockChanged |= file.equals("package-lock.json");
            }
        }
        if (lockChanged || !Files.isRegularFile(dir.resolve("node_modules/ws/package.json"))) {
            npmCi(dir);
        }
        return dir;
    }

    private static void npmCi(Path dir) throws IOException, InterruptedException {
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--prefer-offline")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        npm.getOutputStream().close();
        byte[] output = npm.getInputStream().readAllBytes();
        if (!npm.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            npm.destroyForcibly();
            throw new IllegalStateException("npm ci in " + dir + " did not finish within " + NPM_TIMEOUT_MINUTES + " minutes");
        }
        if (npm.exitValue() != 0) {
            throw new IllegalStateException("npm ci in " + dir + " failed with " + npm.exitValue() + ":\n"
                    + new String(output, StandardCharsets.UTF_8));
        }
    }
}
