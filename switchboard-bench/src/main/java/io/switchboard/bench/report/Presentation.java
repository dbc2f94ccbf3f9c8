package io.switchboard.bench.report;

import java.util.List;

/**
 * How one scenario's results are shown: the columns of its tables, and the metric Switchboard is
 * compared on (higher or lower is better).
 */
record Presentation(String scenario, String title, String method, List<String> columns, String primary, boolean higherIsBetter) {

    private static final List<String> FANOUT_COLUMNS = List.of("deliveries/s", "publish rate/s", "p50 ms", "p99 ms", "p999 ms",
            "max ms", "lost", "duplicated", "server CPU (cores)", "generator CPU (cores)");

    private static final List<String> IDLE_COLUMNS = List.of("RSS growth/conn (KiB)", "live heap/conn (KiB)", "server RSS (MiB)", "open");

    static final List<Presentation> ALL = List.of(
            new Presentation("echo", "Echo",
                    "N WebSocket connections on `/echo`, each keeping P text messages in flight (the next one is sent as soon as an echo "
                            + "returns). Messages/s counts echoes received in the measured window; round trip is send to echo. "
                            + "CPU µs/msg is CPU time over the window divided by the echoes in it: what one echo costs the "
                            + "server (its process, kernel time included) and the generator, read apart from the throughput "
                            + "both share.",
                    List.of("msg/s", "p50 ms", "p99 ms", "p999 ms", "server CPU µs/msg", "generator CPU µs/msg",
                            "server CPU (cores)", "generator CPU (cores)"), "msg/s", true),
            new Presentation("fanout", "Chat fan-out (WebSocket)",
                    "S subscribers on the lesson's `/chat` and one publisher sending chat messages at a fixed rate. The rate doubles "
                            + "per step until a step loses or repeats a message or p99 delivery latency reaches 250 ms, then bisects; "
                            + "the row is the highest passing step. Latency is publish to delivery.",
                    FANOUT_COLUMNS, "deliveries/s", true),
            new Presentation("idle", "Idle connections on the lesson's chat",
                    "Idle WebSockets on the lesson's `/chat` held at each level, each counted once its welcome arrived. Every "
                            + "server runs as a user starts it: Switchboard with its launcher's JVM settings (`bin/switchboard serve`, "
                            + "`bin/jvm-options`), the other JVM peers with the flags above, no heap pre-touched. First a warm-up round "
                            + "of connections (as many as the first level, at most 5,000) is opened and closed, so what a running "
                            + "server loads, compiles and pools once is in the baseline rather than spread over the connections. "
                            + "RSS growth is `VmRSS` against that baseline, read before any forced GC: the memory a connection costs "
                            + "the machine, heap pages the JVM touched for it included. Live heap is what survives a full GC "
                            + "(`jcmd GC.class_histogram`, read after the RSS): the share of the heap a connection keeps, what `-Xmx` "
                            + "is sized from. Both per connection.",
                    IDLE_COLUMNS, "RSS growth/conn (KiB)", false),
            new Presentation("idle-ws", "Idle connections on /ws, each subscribed to one channel",
                    "As above, with WebSockets on `/ws` that each subscribe to a channel of their own (`idle:<n>`, as a client to "
                            + "its `user:42`) and count once the subscribe reply arrived (Switchboard only).",
                    IDLE_COLUMNS, "RSS growth/conn (KiB)", false),
            new Presentation("idle-sse", "Idle Server-Sent Events streams",
                    "As above, with streams on `GET /sse?channel=chat`, counted once their first bytes arrived (Switchboard only).",
                    IDLE_COLUMNS, "RSS growth/conn (KiB)", false),
            new Presentation("handshake", "Handshakes (connection churn)",
                    "C connections at a time: TCP connect, opening handshake on `/echo`, close with 1000, replaced as soon as TCP is "
                            + "closed. Latency is connect to open. CPU µs/handshake is the server's CPU time over the window divided "
                            + "by the handshakes in it.",
                    List.of("handshakes/s", "p50 ms", "p99 ms", "failed", "server CPU µs/handshake", "server CPU (cores)",
                            "generator CPU (cores)"), "handshakes/s", true),
            new Presentation("sse-fanout", "Chat fan-out over Server-Sent Events",
                    "As the WebSocket fan-out, with the subscribers on `GET /sse?channel=chat` (Switchboard only: the peers serve "
                            + "WebSocket alone).",
                    FANOUT_COLUMNS, "deliveries/s", true),
            new Presentation("poll-fanout", "Chat fan-out over long polling",
                    "As the WebSocket fan-out, with the subscribers long-polling `GET /poll?channel=chat&since=<cursor>&wait=30` "
                            + "(Switchboard only).",
                    FANOUT_COLUMNS, "deliveries/s", true),
            new Presentation("wire", "Bytes on the wire per delivered message",
                    "Chat messages published at a low rate to a few subscribers per transport; bytes are counted at the subscribers' "
                            + "sockets (TCP payload, both directions) once subscribed, so every poll request and response header counts "
                            + "and the one-time WebSocket handshake does not. Each delivery carries the published chat JSON plus the "
                            + "`from` and `timestamp` the chat adds (about 35 bytes). The generator's HTTP requests carry only `Host` (and "
                            + "`Accept` for SSE): a browser adds several hundred bytes of headers per request.",
                    List.of("bytes/msg", "received/msg", "sent/msg", "published JSON bytes", "delivered", "lost"), "bytes/msg", false),
            new Presentation("publish", "Publish throughput",
                    "N connections to `/ws`, each keeping P `publish` commands in flight to `demo:board` (the next sent as soon as a "
                            + "reply returns); publishes/s counts acknowledged ones, latency is command to reply. On Redis the nodes share "
                            + "the connections, and `redis-benchmark` runs the broker's publish script (`EVALSHA`, the same keys and "
                            + "arguments) with as many connections and as many commands pipelined on each: Redis's own ceiling.",
                    List.of("publishes/s", "p50 ms", "p99 ms", "errors", "node CPU µs/publish", "nodes CPU (cores)", "Redis CPU (cores)",
                            "generator CPU (cores)"), "publishes/s", true));

    static Presentation of(String scenario) {
        return ALL.stream().filter(p -> p.scenario.equals(scenario)).findFirst().orElseThrow();
    }
}
