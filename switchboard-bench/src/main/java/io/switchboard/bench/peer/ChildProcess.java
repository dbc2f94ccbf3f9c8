package io.switchboard.bench.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A peer server running as a child process: started with its output in a log file, ready once
 * its port accepts a TCP connection, stopped with SIGTERM and then SIGKILL.
 */
public final class ChildProcess implements AutoCloseable {

    /**
     * Heap and collector of the JVM peers other than Switchboard, which runs with its launcher's
     * ({@link Launcher}). The heap is not pre-touched: RSS growth under load counts the heap pages
     * connections make the JVM touch, as it does on a user's server.
     */
    public static final List<String> JVM_FLAGS = List.of("-Xms256m", "-Xmx2g", "-XX:+UseParallelGC");

    /** Flags of every JVM peer, Switchboard's included: no leak tracking, the peers' quiet logging. */
    public static final List<String> BENCH_FLAGS = List.of(
            "-Dio.netty.leakDetection.level=disabled",
            "-Dlogback.configurationFile=io/switchboard/bench/peer/logback-peer.xml");

    private final Process process;
    private final Path log;

    private ChildProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} and waits until 127.0.0.1:{@code port} accepts, or fails with the tail of its log. */
    public static ChildProcess start(String name, List<String> command, Path workDir, int port, Duration timeout) throws IOException {
        Path log = Files.createTempFile("switchboard-bench-" + name + "-", ".log");
        ProcessBuilder builder = new ProcessBuilder(pinned(command)).redirectErrorStream(true).redirectOutput(log.toFile());
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        ChildProcess child = new ChildProcess(builder.start(), log);
        child.awaitAccepting(port, timeout);
        return child;
    }

    /**
     * {@code command} run under {@code taskset -c <cpus>} when {@code SWITCHBOARD_BENCH_PEER_CPUS}
     * names CPUs, so a peer and the load generator can be kept on cores of their own.
     */
    static List<String> pinned(List<String> command) {
        String cpus = System.getenv("SWITCHBOARD_BENCH_PEER_CPUS");
        if (cpus == null || cpus.isBlank()) {
            return command;
        }
        List<String> pinned = new ArrayList<>(List.of("taskset", "-c", cpus.trim()));
        pinned.addAll(command);
        return pinned;
    }

    /**
     * The command that runs {@code mainClass} in a new JVM on this JVM's class path with
     * {@code jvmFlags}, then {@link #BENCH_FLAGS}.
     */
    public static List<String> javaCommand(List<String> jvmFlags, String mainClass, String... args) {
        return javaCommand(jvmFlags, System.getProperty("java.class.path"), List.of(), mainClass, args);
    }

    /**
     * The command that runs {@code mainClass} from {@code classPath} in a new JVM with {@code jvmFlags},
     * {@link #BENCH_FLAGS}, then {@code properties} (e.g. {@code -Dname=value}): another build's jar runs
     * with this one's flags.
     */
    public static List<String> javaCommand(List<String> jvmFlags, String classPath, List<String> properties, String mainClass,
                                           String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(BENCH_FLAGS);
        command.addAll(properties);
        // Extra flags for every JVM peer, e.g. a JFR recording to see where a peer spends its time.
        String extra = System.getenv("SWITCHBOARD_BENCH_PEER_JVM_OPTS");
        if (extra != null && !extra.isBlank()) {
            command.addAll(List.of(extra.trim().split("\\s+")));
        }
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    private void awaitAccepting(int port, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("peer exited with status " + process.exitValue() + ": " + logTail());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    close();
                    throw new IOException("peer did not accept on port " + port + " within " + timeout + ": " + logTail());
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while waiting for the peer", e);
                }
            }
        }
    }

    /** The operating system's id of the process. */
    public long pid() {
        return process.pid();
    }

    /** The last lines the process printed. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(log);
        } catch (IOException ignored) {
            // a leftover log in the temp directory is harmless
        }
    }
}
