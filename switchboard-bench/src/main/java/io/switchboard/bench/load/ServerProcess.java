package io.switchboard.bench.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Readings of the server under test from outside, by process id: CPU from
 * {@code /proc/<pid>/stat}, resident memory from {@code /proc/<pid>/status}, and for a JVM its live
 * heap after a full GC through {@code jcmd}.
 */
public final class ServerProcess {

    /** Linux reports CPU times in clock ticks of 1/100 s on every mainstream kernel. */
    private static final double TICKS_PER_SECOND = 100;

    private final long pid;
    private long ticksAtMark;
    private long wallAtMark;

    /** Readings of process {@code pid}. */
    public ServerProcess(long pid) {
        this.pid = pid;
    }

    /** Starts a CPU measuring interval now. */
    public void mark() {
        ticksAtMark = cpuTicks();
        wallAtMark = System.nanoTime();
    }

    /** Cores the server kept busy on average since {@link #mark()}. */
    public double cores() {
        double wallSeconds = (System.nanoTime() - wallAtMark) / 1e9;
        return wallSeconds <= 0 ? 0 : (cpuTicks() - ticksAtMark) / TICKS_PER_SECOND / wallSeconds;
    }

    private long cpuTicks() {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        } catch (IOException | RuntimeException e) {
            return 0; // not Linux, or the process is gone: CPU reads as zero
        }
    }

    /** Resident set size in bytes ({@code VmRSS}), or -1 when it cannot be read. */
    public long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * Bytes of live objects on the JVM's heap: {@code jcmd <pid> GC.class_histogram} runs a full
     * GC and counts what survives. -1 when jcmd is missing or fails.
     */
    public long liveHeapBytes() {
        return liveHeapBytes(null);
    }

    /** As {@link #liveHeapBytes()}, also writing the histogram to {@code saveTo} (null: nowhere). */
    public long liveHeapBytes(Path saveTo) {
        try {
            Process jcmd = new ProcessBuilder(jcmdPath(), String.valueOf(pid), "GC.class_histogram")
                    .redirectErrorStream(true).start();
            byte[] out = jcmd.getInputStream().readAllBytes();
            if (!jcmd.waitFor(120, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                return -1;
            }
            if (saveTo != null) {
                Files.write(saveTo, out);
            }
            List<String> lines = new String(out, StandardCharsets.UTF_8).lines().toList();
            for (int i = lines.size() - 1; i >= 0; i--) {
                String line = lines.get(i).trim();
                if (line.startsWith("Total")) {
                    String[] parts = line.split("\\s+");
                    return Long.parseLong(parts[2]);
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Netty socket channels (connections) the JVM still holds after a full GC, open or closed but
     * still referenced ({@code jcmd GC.class_histogram}); -1 when it cannot be read.
     */
    public long nettyConnections() {
        try {
            Process jcmd = new ProcessBuilder(jcmdPath(), String.valueOf(pid), "GC.class_histogram")
                    .redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!jcmd.waitFor(120, TimeUnit.SECONDS) || jcmd.exitValue() != 0) {
                return -1;
            }
            long count = 0;
            for (String line : out.lines().toList()) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length >= 4 && parts[3].startsWith("io.netty.channel.") && parts[3].endsWith("SocketChannel")
                        && !parts[3].endsWith("ServerSocketChannel")) {
                    count += Long.parseLong(parts[1]);
                }
            }
            return count;
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * Writes what the server's memory is made of, read without a GC, to files beside {@code prefix}:
     * {@code jcmd GC.heap_info}, {@code jcmd VM.native_memory summary} (a JVM started with
     * {@code -XX:NativeMemoryTracking=summary}; otherwise jcmd's refusal) and {@code /proc/<pid>/smaps}
     * (resident memory by mapping). Best effort: a reading that fails is left out.
     */
    public void saveMemoryDetails(Path prefix) {
        for (String[] command : new String[][] {{"GC.heap_info", "heap_info"}, {"VM.native_memory summary", "nmt"}}) {
            try {
                List<String> args = new ArrayList<>(List.of(jcmdPath(), String.valueOf(pid)));
                args.addAll(List.of(command[0].split(" ")));
                Process jcmd = new ProcessBuilder(args).redirectErrorStream(true).start();
                byte[] out = jcmd.getInputStream().readAllBytes();
                if (jcmd.waitFor(60, TimeUnit.SECONDS)) {
                    Files.write(Path.of(prefix + "-" + command[1] + ".txt"), out);
                }
            } catch (IOException | RuntimeException e) {
                // left out
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        try {
            Files.copy(Path.of("/proc", String.valueOf(pid), "smaps"), Path.of(prefix + "-smaps.txt"),
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            // not Linux: left out
        }
    }

    private static String jcmdPath() {
        Path beside = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        return Files.isExecutable(beside) ? beside.toString() : "jcmd";
    }
}
