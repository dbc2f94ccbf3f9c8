package io.switchboard.server;

import io.switchboard.core.Broker;
import io.switchboard.core.HubConfig;
import io.switchboard.core.MemoryBroker;

import io.switchboard.core.access.Namespace;
import io.switchboard.server.auth.TokenVerifier;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Everything a {@link SwitchboardServer} can be told, with the embedded defaults that make
 * {@code switchboard serve} a working demo. Fluent setters return {@code this}.
 */
public final class ServerConfig {

    private String host = "0.0.0.0";
    private int port = 8080;
    /** Largest WebSocket message on /chat and /ws (after reassembly and inflation) or frame; bigger closes with 1009. */
    private int maxMessageSize = 64 * 1024;
    /** Largest message on {@code /echo}, where conformance suites and benchmarks send up to 16 MiB. */
    private int maxEchoMessageSize = 16 * 1024 * 1024;
    /** Memory all partly received WebSocket messages may hold together; 0: an eighth of the heap. */
    private long partialMessageBudget;
    /** Largest HTTP request body (publish API, polling); bigger answers 413. */
    private int maxHttpBody = 1024 * 1024;
    /** Outbound bytes queued for one connection before it counts as a slow consumer. */
    private int writeBufferHighWater = 1024 * 1024;
    private int writeBufferLowWater = 512 * 1024;
    /** How long a connection may stay over the high-water mark before it is closed with 1008. */
    private Duration slowConsumerGrace = Duration.ofSeconds(5);
    /** Server ping interval; a peer that has not answered by the next ping is closed (1006 on its side, 1001/1011 logged). */
    private Duration pingInterval = Duration.ofSeconds(30);
    /** An HTTP connection with no request in progress this long (none sent yet, or idle after a response) is closed. */
    private Duration handshakeTimeout = Duration.ofSeconds(10);
    /** How long a graceful shutdown waits for clients to answer the 1001 close. */
    private Duration shutdownGrace = Duration.ofSeconds(5);
    private boolean permessageDeflate = true;
    private boolean demo = true;
    /** Serve {@code GET /metrics} (Prometheus text format). */
    private boolean metrics = true;
    /** Demo ticker period of {@code /events}. */
    private Duration tickerInterval = Duration.ofSeconds(2);
    /** Longest long-poll wait a client may ask for. */
    private Duration maxPollWait = Duration.ofSeconds(30);
    /** SSE comment heartbeat interval. */
    private Duration sseHeartbeat = Duration.ofSeconds(15);
    /** Allowed CORS origin for SSE and polling ("*" for any). */
    /** How long a request's body may take to arrive once its headers are in; then 408 and close. */
    private Duration bodyTimeout = Duration.ofSeconds(10);
    /** Bearer key for {@code GET /metrics}; null: this machine only. */
    private String metricsKey;
    /** The most bytes of publications one poll answer or history reply carries (at least one publication); the client pages on. */
    private long maxReplyBytes = 1L << 20;
    /** Commands one {@code /ws} connection may send per second (a burst of twice that); 0: unlimited. */
    private int maxCommandsPerSecond = 500;
    /** Most connections open at once; 0: the process's file-descriptor limit less a reserve. */
    private int maxConnections;
    /** Most connections from one client address; 0: no per-address cap. */
    private int maxConnectionsPerAddress;
    /** Verifies clients' connection and subscription tokens; null: no tokens, every client anonymous. */
    private TokenVerifier tokens;
    /** Whether clients without a token are served when tokens are verified; null: no (yes without a verifier). */
    private Boolean anonymous;
    /** Channel namespaces with their rules; one named "" replaces the default namespace. */
    private List<Namespace> namespaces = List.of();
    /** Web origins besides the server's own that may open WebSockets (and read CORS); "*": any. */
    private List<String> allowedOrigins = List.of();
    /** Bearer key for {@code POST /api/publish}; null: loopback callers only. */
    private String apiKey;
    /** TLS certificate chain and key (PEM); both null: plain TCP. */
    private Path tlsCert;
    private Path tlsKey;
    /** Event-loop threads; 0: Netty's default (2 x cores). */
    private int ioThreads;
    /** I/O mechanism under the event loops; AUTO: epoll, else NIO. */
    private Transport transport = Transport.AUTO;
    private HubConfig hub = HubConfig.defaults();
    /** Makes the hub's broker from the hub config, once per server start; default: in memory, one node. */
    private Function<HubConfig, ? extends Broker> broker = MemoryBroker::new;
    /** Directory of files served under {@code /} (same origin as the endpoints); null: none. */
    private Path staticDir;

    public String host() { return host; }
    public ServerConfig host(String host) { this.host = host; return this; }
    public int port() { return port; }
    public ServerConfig port(int port) { this.port = port; return this; }
    public int maxMessageSize() { return maxMessageSize; }
    public ServerConfig maxMessageSize(int bytes) { this.maxMessageSize = bytes; return this; }
    public int maxEchoMessageSize() { return maxEchoMessageSize; }
    public ServerConfig maxEchoMessageSize(int bytes) { this.maxEchoMessageSize = bytes; return this; }
    public long partialMessageBudget() { return partialMessageBudget > 0 ? partialMessageBudget : Runtime.getRuntime().maxMemory() / 8; }
    public ServerConfig partialMessageBudget(long bytes) { this.partialMessageBudget = bytes; return this; }
    public int maxHttpBody() { return maxHttpBody; }
    public ServerConfig maxHttpBody(int bytes) { this.maxHttpBody = bytes; return this; }
    public int writeBufferHighWater() { return writeBufferHighWater; }
    public ServerConfig writeBufferHighWater(int bytes) { this.writeBufferHighWater = bytes; return this; }
    public int writeBufferLowWater() { return writeBufferLowWater; }
    public ServerConfig writeBufferLowWater(int bytes) { this.writeBufferLowWater = bytes; return this; }
    public Duration slowConsumerGrace() { return slowConsumerGrace; }
    public ServerConfig slowConsumerGrace(Duration grace) { this.slowConsumerGrace = grace; return this; }
    public Duration pingInterval() { return pingInterval; }
    public ServerConfig pingInterval(Duration interval) { this.pingInterval = interval; return this; }
    public Duration handshakeTimeout() { return handshakeTimeout; }
    public ServerConfig handshakeTimeout(Duration timeout) { this.handshakeTimeout = timeout; return this; }
    public Duration shutdownGrace() { return shutdownGrace; }
    public ServerConfig shutdownGrace(Duration grace) { this.shutdownGrace = grace; return this; }
    public boolean permessageDeflate() { return permessageDeflate; }
    public ServerConfig permessageDeflate(boolean enabled) { this.permessageDeflate = enabled; return this; }
    public boolean demo() { return demo; }
    public ServerConfig demo(boolean enabled) { this.demo = enabled; return this; }
    public boolean metrics() { return metrics; }
    public ServerConfig metrics(boolean enabled) { this.metrics = enabled; return this; }
    public Duration tickerInterval() { return tickerInterval; }
    public ServerConfig tickerInterval(Duration interval) { this.tickerInterval = interval; return this; }
    public Duration maxPollWait() { return maxPollWait; }
    public ServerConfig maxPollWait(Duration wait) { this.maxPollWait = wait; return this; }
    public Duration sseHeartbeat() { return sseHeartbeat; }
    public ServerConfig sseHeartbeat(Duration interval) { this.sseHeartbeat = interval; return this; }
    public TokenVerifier tokens() { return tokens; }
    public ServerConfig tokens(TokenVerifier verifier) { this.tokens = verifier; return this; }
    public boolean anonymous() { return anonymous == null ? tokens == null : anonymous; }
    public ServerConfig anonymous(Boolean allowed) { this.anonymous = allowed; return this; }
    public List<Namespace> namespaces() { return namespaces; }
    public ServerConfig namespaces(List<Namespace> list) { this.namespaces = List.copyOf(list); return this; }
    public Duration bodyTimeout() { return bodyTimeout; }
    public ServerConfig bodyTimeout(Duration timeout) { this.bodyTimeout = timeout; return this; }
    public String metricsKey() { return metricsKey; }
    public ServerConfig metricsKey(String key) { this.metricsKey = key; return this; }
    public long maxReplyBytes() { return maxReplyBytes; }
    public ServerConfig maxReplyBytes(long bytes) { this.maxReplyBytes = bytes; return this; }
    public int maxCommandsPerSecond() { return maxCommandsPerSecond; }
    public ServerConfig maxCommandsPerSecond(int perSecond) { this.maxCommandsPerSecond = perSecond; return this; }
    public int maxConnections() { return maxConnections; }
    public ServerConfig maxConnections(int max) { this.maxConnections = max; return this; }
    public int maxConnectionsPerAddress() { return maxConnectionsPerAddress; }
    public ServerConfig maxConnectionsPerAddress(int max) { this.maxConnectionsPerAddress = max; return this; }
    public List<String> allowedOrigins() { return allowedOrigins; }
    public ServerConfig allowedOrigins(List<String> origins) { this.allowedOrigins = List.copyOf(origins); return this; }
    public String apiKey() { return apiKey; }
    public ServerConfig apiKey(String key) { this.apiKey = key; return this; }
    public Path tlsCert() { return tlsCert; }
    public Path tlsKey() { return tlsKey; }
    public ServerConfig tls(Path cert, Path key) { this.tlsCert = cert; this.tlsKey = key; return this; }
    public int ioThreads() { return ioThreads; }
    public ServerConfig ioThreads(int threads) { this.ioThreads = threads; return this; }
    public Transport transport() { return transport; }
    public ServerConfig transport(Transport transport) { this.transport = transport; return this; }
    public HubConfig hub() { return hub; }
    public ServerConfig hub(HubConfig hub) { this.hub = hub; return this; }
    /** What makes the server's broker: called once when the server starts, with {@link #hub()}. */
    public Function<HubConfig, ? extends Broker> broker() { return broker; }
    /**
     * Where channels live: {@code MemoryBroker::new} (the default: this node alone) or a shared
     * broker such as Redis, so that several nodes serve the same channels. The server owns the
     * broker it makes and closes it on shutdown.
     */
    public ServerConfig broker(Function<HubConfig, ? extends Broker> broker) { this.broker = Objects.requireNonNull(broker, "broker"); return this; }
    public Path staticDir() { return staticDir; }
    public ServerConfig staticDir(Path dir) { this.staticDir = dir; return this; }
}
