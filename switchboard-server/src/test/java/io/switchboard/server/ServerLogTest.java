package io.switchboard.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.switchboard.server.auth.TokenVerifier;
import io.switchboard.server.chat.ChatEndpoint;
import io.switchboard.testkit.Frame;
import io.switchboard.testkit.RawWebSocket;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What an operator reads in the server's log: one warning for an open server, no line per chat client, no line a client wrote. */
class ServerLogTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String ANONYMOUS_WARNING = "every client is anonymous";

    @Test
    void aServerWithoutTokenKeysWarnsExactlyOnceThatEveryClientIsAnonymous() {
        try (LogCapture log = LogCapture.of("io.switchboard", Level.INFO)) {
            try (SwitchboardServer server = SwitchboardServer.start(TestServer.config())) {
                assertThat(server.port()).isPositive();
            }

            List<ILoggingEvent> warnings = log.containing(ANONYMOUS_WARNING);
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0).getLevel()).isEqualTo(Level.WARN);
            assertThat(warnings.get(0).getLoggerName()).isEqualTo(SwitchboardServer.class.getName());
            assertThat(warnings.get(0).getFormattedMessage()).as("one line").doesNotContain("\n");
            assertThat(log.atLeast(Level.WARN)).as("nothing else worth a warning").hasSize(1);
        }
    }

    @Test
    void aServerWithATokenKeyDoesNotWarnThatClientsAreAnonymous() {
        try (LogCapture log = LogCapture.of("io.switchboard", Level.INFO)) {
            try (SwitchboardServer server = SwitchboardServer.start(TestServer.config()
                    .tokens(TokenVerifier.hmac("a-development-secret-of-32-bytes!")))) {
                assertThat(server.port()).isPositive();
            }

            assertThat(log.containing(ANONYMOUS_WARNING)).isEmpty();
        }
    }

    @Test
    void aChatClientComingAndGoingIsLoggedAtDebugOnlyNotAtInfo() throws Exception {
        // Captured from after the start: the one start-up warning is not about this client.
        try (SwitchboardServer server = SwitchboardServer.start(TestServer.config());
             LogCapture log = LogCapture.of("io.switchboard", Level.DEBUG)) {
            try (RawWebSocket client = chat(server)) {
                client.send(Frame.close(1000, "bye"));
                assertThat(client.readFrame(WAIT).opcode()).as("the server's close").isEqualTo(Frame.CLOSE);
            }
            TestServer.await("the disconnect is logged", () -> !log.containing("Client disconnected").isEmpty());

            List<ILoggingEvent> chat = log.events().stream().filter(e -> e.getLoggerName().equals(ChatEndpoint.class.getName())).toList();
            assertThat(chat).extracting(ILoggingEvent::getFormattedMessage)
                    .anySatisfy(line -> assertThat(line).startsWith("Client connected"))
                    .anySatisfy(line -> assertThat(line).startsWith("Client disconnected: 1000 bye"));
            assertThat(chat).as("per-connection lines").allSatisfy(event -> assertThat(event.getLevel()).isEqualTo(Level.DEBUG));
            assertThat(log.atLeast(Level.INFO)).as("nothing at INFO or above for one client").isEmpty();
        }
    }

    @Test
    void aChatCloseReasonWithANewlineCannotStartALogLineOfItsOwn() throws Exception {
        String forged = "12:00:00.000 ERROR AdminConsole - root password reset by admin";
        // The whole log, at its most talkative: the disconnect line is DEBUG.
        try (LogCapture log = LogCapture.of(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.DEBUG);
             SwitchboardServer server = SwitchboardServer.start(TestServer.config())) {
            try (RawWebSocket client = chat(server)) {
                client.send(Frame.close(1000, "bye\n" + forged));
                assertThat(client.readFrame(WAIT).opcode()).as("the server's close").isEqualTo(Frame.CLOSE);
            }
            TestServer.await("the disconnect is logged", () -> !log.containing("Client disconnected").isEmpty());

            assertThat(log.containing("Client disconnected")).extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly("Client disconnected: 1000 bye\\n" + forged);
            assertThat(log.lines()).as("the log as written").noneSatisfy(line -> assertThat(line).startsWith(forged));
            assertThat(log.lines()).as("the log as written").noneSatisfy(line -> assertThat(line).startsWith("12:00:00.000 ERROR"));
        }
    }

    private static RawWebSocket chat(SwitchboardServer server) throws Exception {
        RawWebSocket client = RawWebSocket.connect(URI.create("ws://127.0.0.1:" + server.port() + "/chat"));
        assertThat(client.readFrame(WAIT).text()).contains("welcome");
        return client;
    }
}
