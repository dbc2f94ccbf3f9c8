package io.switchboard.bench.load;

import java.lang.management.ManagementFactory;

/**
 * CPU used by this process (the load generator) between {@link #mark()} and {@link #cores()}:
 * process CPU time over wall time, so 1.0 is one core busy the whole time.
 */
public final class CpuMeter {

    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpuAtMark;
    private long wallAtMark;

    /** Starts a measuring interval now. */
    public void mark() {
        cpuAtMark = os.getProcessCpuTime();
        wallAtMark = System.nanoTime();
    }

    /** Cores busy on average since {@link #mark()}. */
    public double cores() {
        long wall = System.nanoTime() - wallAtMark;
        return wall <= 0 ? 0 : (double) (os.getProcessCpuTime() - cpuAtMark) / wall;
    }
}
