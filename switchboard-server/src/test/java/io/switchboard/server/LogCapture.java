package io.switchboard.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What the server logs while a test runs, as an operator's log file would show it: every event of
 * one logger (and its children) from {@code level} up, also as the lines the log layout writes.
 * Close it to put the logger back as it was.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final Level previousLevel;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private final PatternLayout layout = new PatternLayout();

    private LogCapture(String loggerName, Level level) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        this.previousLevel = logger.getLevel();
        logger.setLevel(level);
        layout.setContext(logger.getLoggerContext());
        layout.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n%ex");
        layout.start();
        appender.start();
        logger.addAppender(appender);
    }

    /** Captures {@code type}'s logger from {@code level} up. */
    public static LogCapture of(Class<?> type, Level level) {
        return new LogCapture(type.getName(), level);
    }

    /** Captures every logger under {@code prefix} (for example {@code "io.switchboard"}) from {@code level} up. */
    public static LogCapture of(String prefix, Level level) {
        return new LogCapture(prefix, level);
    }

    /** The events so far, oldest first. */
    public List<ILoggingEvent> events() {
        synchronized (appender.list) {
            return new ArrayList<>(appender.list);
        }
    }

    /** The events at {@code level} or above. */
    public List<ILoggingEvent> atLeast(Level level) {
        return events().stream().filter(e -> e.getLevel().isGreaterOrEqual(level)).toList();
    }

    /** The events whose message contains {@code text}. */
    public List<ILoggingEvent> containing(String text) {
        return events().stream().filter(e -> e.getFormattedMessage().contains(text)).toList();
    }

    /** Every line the log file would hold for the events so far (stack traces included). */
    public List<String> lines() {
        return events().stream().flatMap(e -> Arrays.stream(layout.doLayout(e).split("\r\n|\r|\n"))).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(previousLevel);
        appender.stop();
        layout.stop();
    }
}
