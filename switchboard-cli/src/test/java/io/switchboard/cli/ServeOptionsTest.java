package io.switchboard.cli;

import io.switchboard.core.Broker;
import io.switchboard.core.HubConfig;
import io.switchboard.core.MemoryBroker;
import io.switchboard.redis.RedisBroker;
import io.switchboard.server.ServerConfig;
import io.switchboard.server.Transport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code switchboard serve} options reach the server's configuration. */
class ServeOptionsTest {

    private static ServerConfig parse(String... args) {
        CommandLine.ParseResult result = Main.commandLine(args).parseArgs(args);
        ServeCommand serve = (ServeCommand) result.subcommand().commandSpec().userObject();
        return serve.config();
    }

    /** Parses {@code args} as {@code bin/switchboard} would with {@code env} as the environment. */
    private static ServerConfig parse(Map<String, String> env, String... args) {
        CommandLine.ParseResult result = Main.commandLine(env, args).parseArgs(args);
        return ((ServeCommand) result.subcommand().commandSpec().userObject()).config();
    }

    @TempDir
    Path dir;

    private Path configFile(String name, String... lines) throws IOException {
        return Files.write(dir.resolve(name), List.of(lines));
    }

    @Test
    void aFlagWinsOverTheEnvironmentWhichWinsOverTheConfigFileWhichWinsOverTheDefault() throws IOException {
        Path file = configFile("switchboard.properties",
                "port = 7001", "max-poll-wait = 7s", "history-size = 77", "sse-heartbeat = 3s");
        Map<String, String> env = Map.of("SWITCHBOARD_PORT", "8002", "SWITCHBOARD_MAX_POLL_WAIT", "8s", "SWITCHBOARD_HISTORY_SIZE", "88");

        ServerConfig config = parse(env, "serve", "--config", file.toString(), "--port", "9003", "--history-size", "99");

        assertThat(config.port()).as("flag over environment and file").isEqualTo(9003);
        assertThat(config.hub().historySize()).as("flag over environment and file").isEqualTo(99);
        assertThat(config.maxPollWait()).as("environment over file").isEqualTo(Duration.ofSeconds(8));
        assertThat(config.sseHeartbeat()).as("file over default").isEqualTo(Duration.ofSeconds(3));
        assertThat(config.handshakeTimeout()).as("default").isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aConfigFileIsReadForEveryKindOfOption() throws IOException {
        Path file = configFile("switchboard.properties",
                "# the operator's file", "host = 127.0.0.1", "demo = false", "deflate = false", "transport = nio",
                "allowed-origins = https://app.example", "max-message-size = 4096", "history-ttl = 90s");

        ServerConfig config = parse(Map.of(), "serve", "--config=" + file);

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.demo()).isFalse();
        assertThat(config.permessageDeflate()).isFalse();
        assertThat(config.transport()).isEqualTo(Transport.NIO);
        assertThat(config.allowedOrigins()).containsExactly("https://app.example");
        assertThat(config.maxMessageSize()).isEqualTo(4096);
        assertThat(config.hub().historyTtl()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void switchboardConfigNamesTheFileUnlessConfigIsGiven() throws IOException {
        Path fromEnvironment = configFile("environment.properties", "port = 7001");
        Path fromFlag = configFile("flag.properties", "port = 7002");
        Map<String, String> env = Map.of("SWITCHBOARD_CONFIG", fromEnvironment.toString());

        assertThat(parse(env, "serve").port()).isEqualTo(7001);
        assertThat(parse(env, "serve", "--config", fromFlag.toString()).port()).isEqualTo(7002);
    }

    @Test
    void aConfigFileThatCannotBeReadIsAnErrorNamingIt() {
        Path missing = dir.resolve("missing.properties");

        assertThatThrownBy(() -> parse(Map.of(), "serve", "--config", missing.toString()))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("cannot read config file " + missing);
    }

    @Test
    void theDemoTickerRunsByDefault() {
        assertThat(parse("serve").demo()).isTrue();
    }

    @Test
    void noDemoTurnsTheTickerOff() {
        assertThat(parse("serve", "--no-demo").demo()).isFalse();
    }

    @Test
    void noDeflateAndNoMetricsTurnThemOff() {
        ServerConfig defaults = parse("serve");
        ServerConfig off = parse("serve", "--no-deflate", "--no-metrics");
        assertThat(defaults.permessageDeflate()).isTrue();
        assertThat(defaults.metrics()).isTrue();
        assertThat(off.permessageDeflate()).isFalse();
        assertThat(off.metrics()).isFalse();
    }

    @Test
    void theEnvironmentTurnsTheDemoOffAsDemoFalse() {
        CommandLine cli = new CommandLine(new Main());
        cli.setDefaultValueProvider(new ConfigDefaults(Map.of("SWITCHBOARD_DEMO", "false"), null));
        ServeCommand serve = (ServeCommand) cli.parseArgs("serve").subcommand().commandSpec().userObject();
        assertThat(serve.config().demo()).isFalse();
    }

    @Test
    void sseHeartbeatAndTickerIntervalAreConfigurable() {
        ServerConfig config = parse("serve", "--sse-heartbeat", "3s", "--ticker-interval", "500ms");
        assertThat(config.sseHeartbeat()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.tickerInterval()).isEqualTo(Duration.ofMillis(500));
    }

    @Test
    void transportIsAutoUnlessChosen() {
        assertThat(parse("serve").transport()).isEqualTo(Transport.AUTO);
        assertThat(parse("serve", "--transport", "io_uring").transport()).isEqualTo(Transport.IO_URING);
        assertThatThrownBy(() -> parse("serve", "--transport", "kqueue"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("unknown transport 'kqueue'");
    }

    @Test
    void theBrokerIsInMemoryUnlessChosen() {
        try (Broker broker = parse("serve").broker().apply(HubConfig.defaults())) {
            assertThat(broker).isInstanceOf(MemoryBroker.class);
        }
    }

    @Test
    void aRedisUriChoosesTheRedisBrokerFromTheCommandLineOrTheEnvironment() {
        try (Broker broker = parse("serve", "--broker", "redis://127.0.0.1:6379/0").broker().apply(HubConfig.defaults())) {
            assertThat(broker).isInstanceOf(RedisBroker.class);
        }
        CommandLine cli = new CommandLine(new Main());
        cli.setDefaultValueProvider(new ConfigDefaults(Map.of("SWITCHBOARD_BROKER", "redis://127.0.0.1:6379"), null));
        ServeCommand serve = (ServeCommand) cli.parseArgs("serve").subcommand().commandSpec().userObject();
        try (Broker broker = serve.config().broker().apply(HubConfig.defaults())) {
            assertThat(broker).isInstanceOf(RedisBroker.class);
        }
    }

    @Test
    void anUnknownBrokerIsRefusedAndAPasswordIsNeverShown() {
        assertThatThrownBy(() -> parse("serve", "--broker", "mongodb://127.0.0.1"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("unknown broker 'mongodb://127.0.0.1'");
        assertThat(BrokerChoice.parse("rediss://user:secret@redis.example:6380/2"))
                .hasToString("rediss://***@redis.example:6380/2");
        assertThat(BrokerChoice.parse("memory")).hasToString("memory");
    }

    @Test
    void namespacesReadTheirOptionsAndTakeTheServersHistoryDefaults() {
        ServerConfig config = parse("serve", "--history-size", "50", "--namespace", "room:publish,no-presence",
                "--namespace", "private:subscribe=token,history-size=5;default:publish");
        assertThat(config.namespaces()).hasSize(3);
        io.switchboard.core.access.Namespace room = config.namespaces().get(0);
        assertThat(room.name()).isEqualTo("room");
        assertThat(room.clientPublish()).isTrue();
        assertThat(room.presence()).isFalse();
        assertThat(room.historySize()).isEqualTo(50);
        assertThat(config.namespaces().get(1).subscribe()).isEqualTo(io.switchboard.core.access.Namespace.SubscribePolicy.TOKEN);
        assertThat(config.namespaces().get(1).historySize()).isEqualTo(5);
        assertThat(config.namespaces().get(2).name()).as("default names the namespace of channels without a colon").isEmpty();
    }

    @Test
    void anUnknownNamespaceOptionIsRefused() {
        assertThatThrownBy(() -> parse("serve", "--namespace", "room:shout")).hasMessageContaining("unknown namespace option");
    }

    @Test
    void aTokenSecretMakesClientsAuthenticateUnlessAnonymousIsAllowed() {
        String secret = "a-development-secret-of-32-bytes!";
        assertThat(parse("serve").anonymous()).as("no key: every client is anonymous").isTrue();
        assertThat(parse("serve", "--token-secret", secret).anonymous()).isFalse();
        assertThat(parse("serve", "--token-secret", secret, "--anonymous").anonymous()).isTrue();
        assertThat(parse("serve", "--token-secret", secret).tokens()).isNotNull();
    }

    @Test
    void allowedOriginsAndConnectionCapsReachTheServer() {
        ServerConfig config = parse("serve", "--allowed-origins", "https://a.example,https://*.b.example",
                "--max-connections", "100", "--max-connections-per-ip", "10");
        assertThat(config.allowedOrigins()).containsExactly("https://a.example", "https://*.b.example");
        assertThat(config.maxConnections()).isEqualTo(100);
        assertThat(config.maxConnectionsPerAddress()).isEqualTo(10);
    }
}
