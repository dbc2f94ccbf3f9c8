package io.switchboard.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.switchboard.core.BrokerUnavailableException;
import io.switchboard.core.HubConfig;
import io.switchboard.core.access.Namespace;
import io.switchboard.server.ServerConfig;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.server.Transport;
import io.switchboard.server.auth.TokenVerifier;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code switchboard serve}: runs the server until Ctrl-C or SIGTERM, then shuts down gracefully. */
@Command(name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Starts the Switchboard server with embedded defaults (no Redis, no config file needed);",
            "--broker redis://host:port lets several nodes serve the same channels.",
            "Every option can also be set by an environment variable SWITCHBOARD_<OPTION> (e.g. SWITCHBOARD_PORT=9000)",
            "or in a properties config file (port = 9000); the command line wins, then the environment, then the file."
        },
        sortOptions = false)
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with option values (also SWITCHBOARD_CONFIG).")
    Path config;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--demo", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Run the demo price ticker behind GET /events (default: on; --no-demo turns it off).")
    boolean demo;

    @Option(names = "--metrics", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Serve GET /metrics in the Prometheus text format (default: on; --no-metrics turns it off).")
    boolean metrics;

    @Option(names = "--max-message-size", defaultValue = "65536", paramLabel = "BYTES",
            description = "Largest WebSocket message on /chat and /ws; bigger closes with 1009 (default: ${DEFAULT-VALUE}).")
    int maxMessageSize;

    @Option(names = "--max-echo-message-size", defaultValue = "16777216", paramLabel = "BYTES",
            description = "Largest WebSocket message on /echo, where conformance suites send up to 16 MiB (default: ${DEFAULT-VALUE}).")
    int maxEchoMessageSize;

    @Option(names = "--partial-message-budget", defaultValue = "0", paramLabel = "BYTES",
            description = "Memory all partly received WebSocket messages may hold together; a sender past it is closed with 1013; 0: an eighth of the heap (default: ${DEFAULT-VALUE}).")
    long partialMessageBudget;

    @Option(names = "--max-http-body", defaultValue = "1048576", paramLabel = "BYTES",
            description = "Largest HTTP request body; bigger answers 413 (default: ${DEFAULT-VALUE}).")
    int maxHttpBody;

    @Option(names = "--ping-interval", defaultValue = "30s", converter = DurationConverter.class,
            description = "Server ping interval; peers that miss the pong are dropped; 0 disables (default: ${DEFAULT-VALUE}).")
    Duration pingInterval;

    @Option(names = "--handshake-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "HTTP connections with no request in progress this long (none sent yet, or idle after a response) are closed (default: ${DEFAULT-VALUE}).")
    Duration handshakeTimeout;

    @Option(names = "--body-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long a request's body may take once its headers are in; then 408 and close (default: ${DEFAULT-VALUE}).")
    Duration bodyTimeout;

    @Option(names = "--write-buffer-high", defaultValue = "1048576", paramLabel = "BYTES",
            description = "Outbound bytes queued per connection before it counts as slow (default: ${DEFAULT-VALUE}).")
    int writeBufferHigh;

    @Option(names = "--slow-consumer-grace", defaultValue = "5s", converter = DurationConverter.class,
            description = "How long a connection may stay over its outbound limit before it is closed (WebSockets with 1008) (default: ${DEFAULT-VALUE}).")
    Duration slowConsumerGrace;

    @Option(names = "--deflate", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Negotiate permessage-deflate when a client offers it (default: on).")
    boolean deflate;

    @Option(names = "--broker", defaultValue = "memory", converter = BrokerConverter.class, paramLabel = "memory|URI",
            description = "Where channels live: memory (this node alone) or redis://[[user:]password@]host[:port][/db]"
                    + " (rediss:// for TLS), shared by every node using it (default: ${DEFAULT-VALUE}).")
    BrokerChoice broker;

    @Option(names = "--history-size", defaultValue = "1000", description = "Messages kept per channel for recovery (default: ${DEFAULT-VALUE}).")
    int historySize;

    @Option(names = "--history-ttl", defaultValue = "10m", converter = DurationConverter.class,
            description = "How long a channel's messages are kept for recovery (default: ${DEFAULT-VALUE}).")
    Duration historyTtl;

    @Option(names = "--history-budget", defaultValue = "0", paramLabel = "BYTES",
            description = "Memory all channels' history may take together; the oldest messages across channels leave first; 0: a quarter of the heap (default: ${DEFAULT-VALUE}).")
    long historyBudget;

    @Option(names = "--max-reply-bytes", defaultValue = "1048576", paramLabel = "BYTES",
            description = "Most bytes of publications one poll answer or history reply carries (at least one); clients page on from its cursor (default: ${DEFAULT-VALUE}).")
    long maxReplyBytes;

    @Option(names = "--max-subscriptions", defaultValue = "128", description = "Channel subscriptions per connection (default: ${DEFAULT-VALUE}).")
    int maxSubscriptions;

    @Option(names = "--max-poll-wait", defaultValue = "30s", converter = DurationConverter.class,
            description = "Longest long-poll wait a client may ask for (default: ${DEFAULT-VALUE}).")
    Duration maxPollWait;

    @Option(names = "--sse-heartbeat", defaultValue = "15s", converter = DurationConverter.class,
            description = "Interval of the ': ping' comment that keeps idle event streams open through proxies (default: ${DEFAULT-VALUE}).")
    Duration sseHeartbeat;

    @Option(names = "--ticker-interval", defaultValue = "2s", converter = DurationConverter.class,
            description = "How often the demo ticker publishes a price to channel prices (default: ${DEFAULT-VALUE}).")
    Duration tickerInterval;

    @Option(names = "--allowed-origins", split = ",", paramLabel = "ORIGIN",
            description = "Web origins besides the server's own whose pages may open WebSockets and read SSE and polls (CORS), e.g. https://app.example.com,https://*.example.org; * for any (default: the server's own origin only).")
    List<String> allowedOrigins = List.of();

    @Option(names = "--max-commands-per-second", defaultValue = "500",
            description = "Commands one /ws connection may send per second (bursts of twice that); more get error 110, and a connection that keeps on is closed with 1008; 0: unlimited (default: ${DEFAULT-VALUE}).")
    int maxCommandsPerSecond;

    @Option(names = "--max-connections", defaultValue = "0",
            description = "Most connections open at once; more are answered 503 and closed; 0: the open-files limit less 256 (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--max-connections-per-ip", defaultValue = "0",
            description = "Most connections from one client address; more are answered 429 and closed; 0: no cap (default: ${DEFAULT-VALUE}).")
    int maxConnectionsPerIp;

    @Option(names = "--token-secret", paramLabel = "SECRET",
            description = "HMAC secret (32 bytes or more) that verifies clients' HS256/384/512 tokens.")
    String tokenSecret;

    @Option(names = "--token-public-key", paramLabel = "PEM",
            description = "RSA or EC public key (PEM) that verifies clients' RS256 or ES256 tokens.")
    Path tokenPublicKey;

    @Option(names = "--token-jwks-url", paramLabel = "URL",
            description = "JWK set URL whose keys verify clients' RS256/ES256 tokens (cached, fetched again for an unknown kid).")
    URL tokenJwksUrl;

    @Option(names = "--anonymous", negatable = true, fallbackValue = "true",
            description = "Serve clients without a token (default: only when no token key is configured).")
    Boolean anonymous;

    @Option(names = "--namespace", split = ";", paramLabel = "NAME:OPTIONS", converter = NamespaceConverter.class,
            description = "Channel namespace rules, e.g. room:publish or private:subscribe=token (repeatable, or ;-separated; 'default' is channels without a colon). See docs/protocol.md.")
    List<Namespace> namespaces = List.of();

    @Option(names = "--metrics-key", description = "Bearer key required by GET /metrics; without one only this machine may scrape.")
    String metricsKey;

    @Option(names = "--api-key", description = "Bearer key required by POST /api/publish; without one only loopback callers may publish.")
    String apiKey;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "TLS certificate chain (PEM); with --tls-key serves https:// and wss://.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "TLS private key (PKCS#8 PEM).")
    Path tlsKey;

    @Option(names = "--io-threads", defaultValue = "0", description = "Event-loop threads; 0 means 2 x cores (default: ${DEFAULT-VALUE}).")
    int ioThreads;

    @Option(names = "--transport", defaultValue = "auto", converter = TransportConverter.class,
            description = "auto, epoll, io_uring or nio; auto takes epoll, else NIO (default: ${DEFAULT-VALUE}).")
    Transport transport;

    @Option(names = "--shutdown-grace", defaultValue = "5s", converter = DurationConverter.class,
            description = "How long shutdown waits for clients to answer the 1001 close (default: ${DEFAULT-VALUE}).")
    Duration shutdownGrace;

    @Option(names = "--log-level", defaultValue = "INFO", description = "TRACE, DEBUG, INFO, WARN or ERROR (default: ${DEFAULT-VALUE}).")
    String logLevel;

    @Override
    public Integer call() throws Exception {
        LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
        logging.getLogger("io.switchboard").setLevel(Level.toLevel(logLevel, Level.INFO));
        if ((tlsCert == null) != (tlsKey == null)) {
            System.err.println("--tls-cert and --tls-key go together");
            return 2;
        }
        ServerConfig serverConfig;
        try {
            serverConfig = config();
        } catch (IllegalArgumentException e) {
            System.err.println("switchboard: " + e.getMessage());
            return 2;
        }
        SwitchboardServer server;
        try {
            server = SwitchboardServer.start(serverConfig);
        } catch (IllegalStateException | BrokerUnavailableException e) {
            System.err.println("switchboard: " + e.getMessage());
            return 1;
        }
        printBanner(System.out, server, broker);

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("Shutting down: closing connections with 1001");
            server.close();
            System.out.println("Stopped.");
            System.out.flush();
            logging.stop();
            stopped.countDown();
            // A graceful stop on SIGTERM/Ctrl-C is a success, not the JVM's 143/130.
            Runtime.getRuntime().halt(0);
        }, "switchboard-shutdown"));
        stopped.await();
        return 0;
    }

    ServerConfig config() {
        int keys = (tokenSecret != null ? 1 : 0) + (tokenPublicKey != null ? 1 : 0) + (tokenJwksUrl != null ? 1 : 0);
        if (keys > 1) {
            throw new IllegalArgumentException("choose one of --token-secret, --token-public-key, --token-jwks-url");
        }
        TokenVerifier tokens = tokenSecret != null ? TokenVerifier.hmac(tokenSecret)
                : tokenPublicKey != null ? publicKey(tokenPublicKey)
                : tokenJwksUrl != null ? TokenVerifier.jwks(tokenJwksUrl) : null;
        List<Namespace> rules = namespaces.stream().map(n -> new Namespace(n.name(), n.subscribe(), n.clientPublish(),
                n.presence(), n.joinLeave(), n.history(),
                n.historySize() == NamespaceConverter.UNSET_SIZE ? historySize : n.historySize(),
                n.historyTtl().equals(NamespaceConverter.UNSET_TTL) ? historyTtl : n.historyTtl())).toList();
        return new ServerConfig()
                .tokens(tokens)
                .anonymous(anonymous)
                .namespaces(rules)
                .host(host)
                .port(port)
                .demo(demo)
                .metrics(metrics)
                .maxMessageSize(maxMessageSize)
                .maxEchoMessageSize(maxEchoMessageSize)
                .partialMessageBudget(partialMessageBudget)
                .maxHttpBody(maxHttpBody)
                .pingInterval(pingInterval)
                .handshakeTimeout(handshakeTimeout)
                .bodyTimeout(bodyTimeout)
                .writeBufferHighWater(writeBufferHigh)
                .writeBufferLowWater(Math.max(1, writeBufferHigh / 2))
                .slowConsumerGrace(slowConsumerGrace)
                .permessageDeflate(deflate)
                .hub(new HubConfig(historySize, historyTtl, HubConfig.defaults().maxChannelLength(), maxSubscriptions)
                        .withHistoryBudget(historyBudget))
                .maxReplyBytes(maxReplyBytes)
                .broker(broker.factory())
                .maxPollWait(maxPollWait)
                .sseHeartbeat(sseHeartbeat)
                .tickerInterval(tickerInterval)
                .allowedOrigins(allowedOrigins)
                .maxCommandsPerSecond(maxCommandsPerSecond)
                .maxConnections(maxConnections)
                .maxConnectionsPerAddress(maxConnectionsPerIp)
                .apiKey(apiKey)
                .metricsKey(metricsKey)
                .tls(tlsCert, tlsKey)
                .ioThreads(ioThreads)
                .transport(transport)
                .shutdownGrace(shutdownGrace);
    }

    private static TokenVerifier publicKey(Path pem) {
        try {
            return TokenVerifier.publicKeyPem(pem);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --token-public-key " + pem + ": " + e.getMessage(), e);
        }
    }

    private static void printBanner(PrintStream out, SwitchboardServer server, BrokerChoice broker) {
        ServerConfig c = server.config();
        boolean tls = c.tlsCert() != null;
        String host = c.host().equals("0.0.0.0") || c.host().equals("::") ? "localhost" : c.host();
        String http = (tls ? "https://" : "http://") + host + ":" + server.port();
        out.println("Switchboard listening on " + http + "/ (" + server.transport().label() + ")"
                + " | ws: /echo /chat /ws | sse: /events /sse | poll: /poll /api/notifications/poll"
                + " | publish: POST /api/publish" + (c.metrics() ? " | metrics: /metrics" : "")
                + " | broker: " + broker
                + " | demo page: " + http + "/");
        out.flush();
    }
}
