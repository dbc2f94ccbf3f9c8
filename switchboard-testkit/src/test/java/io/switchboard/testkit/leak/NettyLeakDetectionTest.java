package io.switchboard.testkit.leak;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The build's leak detection works: under the tests' PARANOID level, {@link NettyLeakDetection}
 * (found by JUnit's extension autodetection, as every module's tests find it) fails a test class
 * that drops a buffer without releasing it, and passes one that releases its buffers. The two
 * classes below run in a JUnit launcher of their own, so the leak fails only them.
 */
class NettyLeakDetectionTest {

    /** The tag of the classes below, which only this test runs: see switchboard-testkit's pom. */
    static final String ON_PURPOSE = "leak-detection-demo";

    @Test
    void testsRunWithEveryBufferTracked() {
        assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    }

    @Test
    void aTestClassThatLeaksABufferFailsNamingTheLeak() {
        Map<String, TestExecutionResult> results = run(LeaksABuffer.class);

        assertThat(results.get("dropsABufferWithoutReleasingIt").getStatus())
                .as("the test itself").isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        TestExecutionResult classResult = results.get(LeaksABuffer.class.getSimpleName());
        assertThat(classResult.getStatus()).as("the class, after its tests").isEqualTo(TestExecutionResult.Status.FAILED);
        assertThat(classResult.getThrowable().orElseThrow())
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("leaked buffer(s) in").hasMessageContaining(LeaksABuffer.class.getSimpleName())
                .hasMessageContaining("dropsABufferWithoutReleasingIt");
    }

    @Test
    void aTestClassThatReleasesItsBuffersPasses() {
        Map<String, TestExecutionResult> results = run(ReleasesItsBuffer.class);

        assertThat(results.get("releasesWhatItAllocates").getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
        assertThat(results.get(ReleasesItsBuffer.class.getSimpleName()).getStatus()).isEqualTo(TestExecutionResult.Status.SUCCESSFUL);
    }

    /** Runs {@code testClass} as surefire does (extension autodetection on) and returns each class's and test's result by name. */
    private static Map<String, TestExecutionResult> run(Class<?> testClass) {
        Map<String, TestExecutionResult> results = new LinkedHashMap<>();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(testClass))
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .build(), new TestExecutionListener() {
                    @Override
                    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
                        identifier.getSource().ifPresent(source -> {
                            if (source instanceof ClassSource c) {
                                results.put(c.getJavaClass().getSimpleName(), result);
                            } else if (source instanceof MethodSource m) {
                                results.put(m.getMethodName(), result);
                            }
                        });
                    }
                });
        return results;
    }

    /** Leaks on purpose; run only through {@link #run} (the build's surefire excludes its tag). */
    @Tag(ON_PURPOSE)
    static class LeaksABuffer {
        @Test
        void dropsABufferWithoutReleasingIt() {
            ByteBuf dropped = PooledByteBufAllocator.DEFAULT.directBuffer(64);
            dropped.writeLong(42);
        }
    }

    /** Releases what it allocates; run only through {@link #run} (the build's surefire excludes its tag). */
    @Tag(ON_PURPOSE)
    static class ReleasesItsBuffer {
        @Test
        void releasesWhatItAllocates() {
            ByteBuf buffer = PooledByteBufAllocator.DEFAULT.directBuffer(64);
            buffer.writeLong(42);
            buffer.release();
        }
    }
}
