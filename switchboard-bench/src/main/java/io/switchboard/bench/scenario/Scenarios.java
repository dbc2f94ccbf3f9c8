package io.switchboard.bench.scenario;

import java.util.List;

/** Every scenario, by name. */
public final class Scenarios {

    private Scenarios() {
    }

    /** Every scenario in report order. */
    public static List<Scenario> all() {
        return List.of(new EchoScenario(), new FanoutScenario("fanout", ChatAudience.Transport.WEBSOCKET),
                new IdleScenario(IdleScenario.Endpoint.CHAT), new IdleScenario(IdleScenario.Endpoint.WS),
                new IdleScenario(IdleScenario.Endpoint.SSE),
                new HandshakeScenario(), new FanoutScenario("sse-fanout", ChatAudience.Transport.SSE),
                new FanoutScenario("poll-fanout", ChatAudience.Transport.LONG_POLL), new WireScenario(), new PublishScenario());
    }

    /** The names of every scenario. */
    public static List<String> names() {
        return all().stream().map(Scenario::name).toList();
    }

    /** The scenario called {@code name}. */
    public static Scenario byName(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + name + "' (known: " + String.join(", ", names()) + ")"));
    }
}
