package io.switchboard.testkit.leak;

import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Fails a test class when Netty reports a leaked buffer during it. Registered for every module
 * by JUnit's extension autodetection (see the parent pom), it installs — before any Netty buffer
 * class loads — a leak detector factory whose detectors record reports instead of only logging
 * them. Tests run at {@code -Dio.netty.leakDetection.level=paranoid}, so every buffer is tracked.
 */
public final class NettyLeakDetection implements AfterAllCallback {

    private static final ConcurrentLinkedQueue<String> LEAKS = new ConcurrentLinkedQueue<>();

    static {
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        // Leaks are found when a collected buffer's tracker is polled, which happens on allocation;
        // the collector enqueues the trackers asynchronously, so poll for a short while.
        System.gc();
        for (int round = 0; round < 20 && LEAKS.isEmpty(); round++) {
            for (int i = 0; i < 16; i++) {
                PooledByteBufAllocator.DEFAULT.buffer(8).release();
                PooledByteBufAllocator.DEFAULT.directBuffer(8).release();
                UnpooledByteBufAllocator.DEFAULT.buffer(8).release();
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (round % 5 == 4) {
                System.gc();
            }
        }
        List<String> leaks = new ArrayList<>();
        for (String leak; (leak = LEAKS.poll()) != null; ) {
            leaks.add(leak);
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError("Netty reported " + leaks.size() + " leaked buffer(s) in "
                    + context.getDisplayName() + ":\n" + String.join("\n\n", leaks));
        }
    }

    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        @SuppressWarnings("deprecation")
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
            return new ResourceLeakDetector<T>(resource, samplingInterval) {
                @Override
                protected void reportTracedLeak(String resourceType, String records) {
                    LEAKS.add("LEAK " + resourceType + records);
                    super.reportTracedLeak(resourceType, records);
                }

                @Override
                protected void reportUntracedLeak(String resourceType) {
                    LEAKS.add("LEAK " + resourceType + " (no records)");
                    super.reportUntracedLeak(resourceType);
                }
            };
        }
    }
}
