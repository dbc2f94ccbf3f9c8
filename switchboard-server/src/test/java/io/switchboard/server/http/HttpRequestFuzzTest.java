package io.switchboard.server.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.server.SwitchboardServer;
import io.switchboard.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Coverage-guided fuzzing of the server's HTTP request path (docs/fuzzing.md): arbitrary bytes
 * sent to a real server on loopback, then the end of the input. Every input ends in a close, a
 * complete first request is answered before it, what comes back is HTTP, and nothing is logged as
 * failed (buffers leaked on the way fail the class through Netty's paranoid leak detection). A
 * normal build replays the corpus in {@code HttpRequestFuzzTestInputs/}.
 */
class HttpRequestFuzzTest {

    private static final int ANSWER_TIMEOUT_MILLIS = 10_000;
    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] [1-5][0-9][0-9] .*", Pattern.DOTALL);
    private static final List<String> FAILURES_LOGGED = new CopyOnWriteArrayList<>();
    private static final AppenderBase<ILoggingEvent> LOG_WATCH = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            // The server never uses an EmbeddedChannel: those lines come from the test's own decoder.
            if (event.getLevel().isGreaterOrEqual(Level.WARN) && !event.getLoggerName().startsWith("io.netty.channel.embedded")) {
                FAILURES_LOGGED.add(event.getLevel() + " " + event.getLoggerName() + ": " + event.getFormattedMessage()
                        + (event.getThrowableProxy() == null ? "" : " " + event.getThrowableProxy().getClassName()
                        + ": " + event.getThrowableProxy().getMessage()));
            }
        }
    };

    private static SwitchboardServer server;

    @BeforeAll
    static void start() {
        // Polls answer within 50 ms, so that every complete request is answered while the test waits.
        server = SwitchboardServer.start(TestServer.config().maxPollWait(Duration.ofMillis(50)).maxHttpBody(16 * 1024));
        LOG_WATCH.start();
        root().addAppender(LOG_WATCH);
    }

    @AfterAll
    static void stop() {
        root().detachAppender(LOG_WATCH);
        server.close();
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @FuzzTest(maxDuration = "60s")
    void everyInputIsAnsweredOrClosed(byte[] input) throws IOException {
        FAILURES_LOGGED.clear();
        boolean answerDue = hasFirstRequest(input);
        byte[] reply;
        // Jazzer reports any network connection as a finding unless allowed: this one server's port is.
        SilentCloseable loopback = BugDetectors.allowNetworkConnections((host, port) -> port == server.port());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), ANSWER_TIMEOUT_MILLIS);
            socket.setSoTimeout(ANSWER_TIMEOUT_MILLIS);
            reply = exchange(socket, input, answerDue);
        } finally {
            loopback.close();
        }
        String text = new String(reply, StandardCharsets.ISO_8859_1);
        String request = printable(input);
        if (answerDue) {
            assertThat(text).as("the answer to a complete request in %s", request).isNotEmpty();
        }
        if (!text.isEmpty()) {
            assertThat(STATUS_LINE.matcher(text).matches()).as("an HTTP answer to %s: %s", request, firstLine(text)).isTrue();
        }
        assertThat(FAILURES_LOGGED).as("failures logged for %s", request).isEmpty();
    }

    /**
     * Sends the input; when it holds a request, waits for the first line of an answer; then ends
     * the input and reads to the close, which must come within the timeout.
     */
    private static byte[] exchange(Socket socket, byte[] input, boolean answerDue) throws IOException {
        ByteArrayOutputStream reply = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            socket.getOutputStream().write(input);
            if (answerDue) {
                while (!reply.toString(StandardCharsets.ISO_8859_1).contains("\r\n")) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        return reply.toByteArray();
                    }
                    reply.write(buffer, 0, n);
                }
            }
            socket.shutdownOutput();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                reply.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException e) {
            fail("no %s within %d ms; got: %s", answerDue ? "answer or close" : "close", ANSWER_TIMEOUT_MILLIS,
                    firstLine(reply.toString(StandardCharsets.ISO_8859_1)));
        } catch (SocketException e) {
            // The server closed first (a reset when it had not read all of the input): a close.
        }
        return reply.toByteArray();
    }

    /** Whether Netty's own decoder, with the server codec's limits, reads a first request (valid or not) from the input. */
    private static boolean hasFirstRequest(byte[] input) {
        EmbeddedChannel decoder = new EmbeddedChannel(new HttpRequestDecoder(), new HttpObjectAggregator(Integer.MAX_VALUE));
        try {
            decoder.writeInbound(Unpooled.wrappedBuffer(input));
            Object first = decoder.readInbound();
            ReferenceCountUtil.release(first);
            return first instanceof FullHttpRequest;
        } finally {
            try {
                decoder.finishAndReleaseAll();
            } catch (Exception e) {
                // Closing the test's own decoder: a request cut short by the end of the input
                // (PrematureChannelClosureException), or the aggregator's 100 Continue for an
                // Expect header finding the channel closed. Neither says anything about the server.
            }
        }
    }

    /** The input as Java would write it in a string literal, cut to 300 characters. */
    private static String printable(byte[] input) {
        StringBuilder text = new StringBuilder("\"");
        for (byte b : input) {
            int c = b & 0xFF;
            if (text.length() > 300) {
                text.append("...");
                break;
            }
            text.append(c == '\r' ? "\\r" : c == '\n' ? "\\n" : c == '"' || c == '\\' ? "\\" + (char) c
                    : c >= 0x20 && c < 0x7F ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return text.append('"').toString();
    }

    private static String firstLine(String text) {
        int end = text.indexOf("\r\n");
        return end < 0 ? text : text.substring(0, end);
    }
}
