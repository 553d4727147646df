package org.parley.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.util.Iterator;
import org.parley.config.LogSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code log.level} and {@code log.format} to the process's Logback configuration, once,
 * when {@code parley start} has read its configuration. Logging is the process's, not one server's
 * (tests run several servers in one JVM), so the command line owns it. The appenders stay where
 * {@code logback.xml} puts them (stderr, so stdout stays clean for scripts); only their encoder
 * changes.
 */
final class Logs {

    /**
     * The text format: the pattern of {@code logback.xml}. {@code [sid]} names the client session a
     * line is about (the {@code sid} MDC key) and is left out on other lines.
     */
    static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20}"
            + "%replace( [%X{sid}]){' \\[\\]', ''} - %msg%n";
    static final String PARLEY_LOGGERS = "org.parley";

    private Logs() {
    }

    static void apply(LogSettings settings) {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            apply(context, settings);
        }
    }

    static void apply(LoggerContext context, LogSettings settings) {
        context.getLogger(PARLEY_LOGGERS).setLevel(Level.toLevel(settings.level()));
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            if (it.next() instanceof OutputStreamAppender<ILoggingEvent> appender) {
                // Swapped in place: the appender keeps its stream, and no event is lost meanwhile.
                Encoder<ILoggingEvent> old = appender.getEncoder();
                appender.setEncoder(settings.json() ? json(context) : text(context));
                if (old != null) {
                    old.stop();
                }
            }
        }
    }

    /**
     * One JSON object per line: time (epoch milliseconds), level, thread, logger, the formatted
     * message, the MDC and any exception; nothing of Logback's own context.
     */
    private static Encoder<ILoggingEvent> json(LoggerContext context) {
        JsonEncoder encoder = new JsonEncoder();
        encoder.setContext(context);
        encoder.setWithSequenceNumber(false);
        encoder.setWithNanoseconds(false);
        encoder.setWithContext(false);
        encoder.setWithMessage(false);
        encoder.setWithArguments(false);
        encoder.setWithFormattedMessage(true);
        encoder.start();
        return encoder;
    }

    private static Encoder<ILoggingEvent> text(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();
        return encoder;
    }
}
