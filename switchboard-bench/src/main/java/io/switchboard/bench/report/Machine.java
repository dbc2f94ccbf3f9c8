package io.switchboard.bench.report;

import io.switchboard.bench.peer.ChildProcess;
import io.switchboard.bench.peer.Launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the report says about the machine a run was measured on. */
final class Machine {

    private Machine() {
    }

    /** CPU model, cores, RAM, kernel, JDK, the peers' JVM flags and Node.js version. */
    static Map<String, String> describe() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("CPU", firstValue(Path.of("/proc/cpuinfo"), "model name"));
        facts.put("cores", String.valueOf(Runtime.getRuntime().availableProcessors()));
        String memKb = firstValue(Path.of("/proc/meminfo"), "MemTotal").replaceAll("[^0-9]", "");
        facts.put("RAM", memKb.isEmpty() ? "unknown" : String.format("%.1f GiB", Long.parseLong(memKb) / 1024.0 / 1024.0));
        facts.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        facts.put("JDK", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        String extra = System.getenv("SWITCHBOARD_BENCH_PEER_JVM_OPTS");
        String more = String.join(" ", ChildProcess.BENCH_FLAGS) + (extra == null || extra.isBlank() ? "" : " " + extra.trim());
        String launcher = String.join(" ", Launcher.jvmOptions());
        facts.put("JVM flags of Switchboard (its launcher's, as `bin/switchboard serve`)",
                "`" + (launcher.isEmpty() ? "" : launcher + " ") + more + "`");
        facts.put("JVM flags (the other JVM peers)", "`" + String.join(" ", ChildProcess.JVM_FLAGS) + " " + more + "`");
        facts.put("Node.js", command("node", "--version"));
        facts.put("open files per process", command("sh", "-c", "ulimit -n"));
        facts.put("load average when the run started (1, 5, 15 min)", loadAverage());
        return facts;
    }

    /** Other work on the machine shows here: a load average above the cores means the run shared them. */
    private static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String firstValue(Path file, String key) {
        try {
            return Files.readAllLines(file).stream().filter(line -> line.startsWith(key))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String command(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes()).trim();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0 ? out : "unavailable";
        } catch (IOException e) {
            return "unavailable";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unavailable";
        }
    }
}
