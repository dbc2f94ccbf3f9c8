package io.switchboard.cli;

import io.switchboard.bench.jmh.JmhRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code switchboard bench jmh [regex] [JMH options]}: the codec's JMH micro-benchmarks. */
@Command(name = "jmh",
        description = {
            "Runs the JMH micro-benchmarks of the codec's hot paths (frame decode and encode, unmasking,",
            "UTF-8 validation, encode-once fan-out) beside Netty's codec. Arguments go to JMH: a regex",
            "selects benchmarks, -f/-wi/-i/-w/-r set forks, iterations and times, -h lists them all."
        })
final class JmhCommand implements Callable<Integer> {

    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        JmhRunner.main(args.toArray(String[]::new));
        return 0;
    }
}
