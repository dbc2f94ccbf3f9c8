package io.switchboard.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Memory of the test process (where the test's server runs), as an operator's gauges would read
 * it: heap in use after a full collection, and the direct memory Netty's buffer pool holds. For
 * bounds with wide margins only, never for timing.
 */
public final class HeapMeter {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final long MIB = 1024 * 1024;

    private HeapMeter() {
    }

    /** Bytes of heap still reachable: the least used heap seen over a few full collections. */
    public static long usedHeapAfterGc() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            least = Math.min(least, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    /** Direct memory the server's buffer allocator holds in use now (replies being written included). */
    public static long usedDirectMemory() {
        return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
    }

    /** {@code bytes} in MiB, for messages. */
    public static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / (double) MIB);
    }
}
