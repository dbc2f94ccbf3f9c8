package io.switchboard.bench.peer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The lesson's own server: Node.js with the {@code ws} package, as the lesson writes it (see
 * {@code src/main/node/server.js} for the marked changes). The script and its pinned
 * package-lock.json ship in the bench's resources; the first start unpacks them under the temp
 * directory and installs {@code ws} with {@code npm ci}.
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
            directory = install(Path.of(System.getProperty("java.io.tmpdir"), "switchboard-bench"));
        }
        return directory;
    }

    @Override
    protected List<String> command(int port) throws IOException, InterruptedException {
        return List.of("node", workingDirectory().resolve("server.js").toString(), Integer.toString(port));
    }

    /**
     * The installed server under {@code parent}: one directory per version of the files, named by
     * their hash. A missing one is installed in a staging directory (files, then {@code npm ci}) and
     * renamed into place, so concurrent benches never see a half-installed server.
     */
    static Path install(Path parent) throws IOException, InterruptedException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        MessageDigest sha256 = sha256();
        for (String file : FILES) {
            try (InputStream in = NodeLessonPeer.class.getResourceAsStream(RESOURCES + file)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + RESOURCES + file);
                }
                byte[] bytes = in.readAllBytes();
                files.put(file, bytes);
                sha256.update(bytes);
            }
        }
        Path dir = parent.resolve("node-lesson-" + HexFormat.of().formatHex(sha256.digest(), 0, 8));
        if (installed(dir)) {
            return dir;
        }
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, "staging-");
        try {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Files.write(staging.resolve(file.getKey()), file.getValue());
            }
            npmCi(staging);
            try {
                Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!installed(dir)) {
                    throw e;
                }
                // Another bench installed the same version first; use theirs.
            }
        } finally {
            deleteTree(staging);
        }
        return dir;
    }

    private static boolean installed(Path dir) {
        return Files.isRegularFile(dir.resolve("node_modules/ws/package.json"));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
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
