package io.switchboard.bench.jmh;

import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

import java.io.IOException;
import java.util.Collection;
import java.util.List;

/**
 * Runs the micro-benchmarks (the codec, token verification); the entry point for the CLI ({@code bench jmh [regex] [JMH options]}) and for
 * {@code java -cp <bench classpath> io.switchboard.bench.jmh.JmhRunner ...}. The arguments are
 * JMH's own ({@code -h} lists them); with no regex every benchmark in this package runs, with the
 * modest settings of {@link MicroBenchmark} unless overridden (e.g. {@code -f 3 -i 10}).
 */
public final class JmhRunner {

    private JmhRunner() {
    }

    /** Runs, prints JMH's table. */
    public static void main(String[] args) throws CommandLineOptionException, RunnerException, IOException {
        run(args);
    }

    /** Runs and returns the results (none for {@code -h} or {@code -l}). */
    public static Collection<RunResult> run(String... args) throws CommandLineOptionException, RunnerException, IOException {
        CommandLineOptions options = new CommandLineOptions(args);
        if (options.shouldHelp()) {
            options.showHelp();
            return List.of();
        }
        OptionsBuilder builder = new OptionsBuilder();
        builder.parent(options);
        if (options.getIncludes().isEmpty()) {
            builder.include(JmhRunner.class.getPackageName() + "\\.");
        }
        Runner runner = new Runner(builder.build());
        if (options.shouldList()) {
            runner.list();
            return List.of();
        }
        return runner.run();
    }
}
