package io.switchboard.bench.report;

import io.switchboard.bench.scenario.Result;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Every result of a report run, looked up by scenario, variant and peer. */
final class Measurements {

    private final Map<String, List<Result>> byScenario = new LinkedHashMap<>();
    /** echo throughput against connections: peer, then (connections, msg/s) pairs. */
    final Map<String, List<double[]>> echoByConnections = new LinkedHashMap<>();

    void add(String scenario, List<Result> results) {
        byScenario.computeIfAbsent(scenario, s -> new ArrayList<>()).addAll(results);
    }

    List<Result> of(String scenario) {
        return byScenario.getOrDefault(scenario, List.of());
    }

    /** The results of {@code scenario} whose variant starts with {@code variantPrefix}. */
    List<Result> of(String scenario, String variantPrefix) {
        return of(scenario).stream().filter(r -> r.variant().startsWith(variantPrefix)).toList();
    }

    Optional<Result> find(String scenario, String variantPrefix, String peer) {
        return of(scenario, variantPrefix).stream().filter(r -> r.peer().equals(peer)).findFirst();
    }

    double value(String scenario, String variantPrefix, String peer, String metric) {
        return find(scenario, variantPrefix, peer).map(r -> r.get(metric)).orElse(Double.NaN);
    }

    /** The last result of {@code scenario} for {@code peer} (idle: the largest level). */
    Optional<Result> last(String scenario, String peer) {
        List<Result> mine = of(scenario).stream().filter(r -> r.peer().equals(peer)).toList();
        return mine.isEmpty() ? Optional.empty() : Optional.of(mine.get(mine.size() - 1));
    }
}
