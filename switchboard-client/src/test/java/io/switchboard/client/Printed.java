package io.switchboard.client;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What a documented example prints to {@code System.out} while it runs (it is still printed too),
 * so a test can wait for the lines its callbacks print on the client's event loop.
 */
final class Printed implements AutoCloseable {

    private final PrintStream original = System.out;
    private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

    private Printed() {
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                synchronized (copy) {
                    copy.write(b);
                }
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                original.write(bytes, offset, length);
                synchronized (copy) {
                    copy.write(bytes, offset, length);
                }
            }
        };
        System.setOut(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    /** Starts capturing; {@link #close()} puts {@code System.out} back. */
    static Printed capture() {
        return new Printed();
    }

    /** The complete lines printed so far. */
    List<String> lines() {
        String text;
        synchronized (copy) {
            text = copy.toString(StandardCharsets.UTF_8);
        }
        return text.lines().limit(text.endsWith("\n") ? Long.MAX_VALUE : Math.max(0, text.lines().count() - 1)).toList();
    }

    /** Waits up to 10 s for a printed line that matches {@code line}, and returns it. */
    String await(String what, Predicate<String> line) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            for (String printed : lines()) {
                if (line.test(printed)) {
                    return printed;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("nothing printed within 10 s is " + what + "; printed: " + lines());
            }
            Thread.sleep(5);
        }
    }

    @Override
    public void close() {
        System.setOut(original);
    }
}
