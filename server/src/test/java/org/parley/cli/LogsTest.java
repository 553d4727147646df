package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.config.ConfigLoader;
import org.parley.config.LogSettings;
import org.parley.testing.ChildServer;
import org.slf4j.Logger;
import org.slf4j.MDC;

/** {@code log.level} and {@code log.format} take effect on the process's logging. */
class LogsTest {

    private final ObjectMapper json = new ObjectMapper();

    /** A Logback context of its own, configured as logback.xml does: one console-like appender on the root. */
    private static LoggerContext context(ByteArrayOutputStream out) {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter()); // the process's MDC, as SLF4J binds it
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(Logs.PATTERN);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> appender = new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setName("CONSOLE");
        appender.setEncoder(encoder);
        appender.setOutputStream(out);
        appender.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(appender);
        return context;
    }

    private static LogSettings settings(String level, String format) {
        return ConfigLoader.load(null, Map.of("PARLEY_LOG_LEVEL", level, "PARLEY_LOG_FORMAT", format), List.of())
                .log();
    }

    @Test
    void jsonWritesOneObjectPerLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LoggerContext context = context(out);
        Logs.apply(context, settings("info", "json"));
        Logger log = context.getLogger("org.parley.session.C2sSession");
        MDC.put("session", "s1");
        try {
            log.info("bound {} \"quoted\"", "alice@localhost/phone");
        } finally {
            MDC.remove("session");
        }
        log.debug("not at info");
        log.warn("second line");

        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        JsonNode first = json.readTree(lines.get(0));
        assertThat(first.get("level").asText()).isEqualTo("INFO");
        assertThat(first.get("loggerName").asText()).isEqualTo("org.parley.session.C2sSession");
        assertThat(first.get("formattedMessage").asText()).isEqualTo("bound alice@localhost/phone \"quoted\"");
        assertThat(first.get("timestamp").asLong()).isPositive();
        assertThat(first.get("mdc").get("session").asText()).isEqualTo("s1");
        assertThat(first.has("context")).as("nothing of Logback's own").isFalse();
        assertThat(json.readTree(lines.get(1)).get("formattedMessage").asText()).isEqualTo("second line");
    }

    @Test
    void theLevelAppliesToParleysLoggersOnly() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LoggerContext context = context(out);
        Logs.apply(context, settings("DEBUG", "text"));
        context.getLogger("org.parley.route.Router").debug("parley debug");
        context.getLogger("io.netty.channel.Foo").info("netty info");
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("DEBUG o.p.route.Router - parley debug")
                .doesNotContain("netty info");

        Logs.apply(context, settings("warn", "text"));
        context.getLogger("org.parley.route.Router").info("parley info");
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("parley info");
    }

    @Test
    void theTextFormatNamesTheSessionALineIsAbout() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LoggerContext context = context(out);
        Logs.apply(context, settings("info", "text"));
        MDC.put("sid", "k3j2q8vd");
        try {
            context.getLogger("org.parley.c2s.ConnectionLog").info("bound alice@localhost/phone");
        } finally {
            MDC.remove("sid");
        }
        context.getLogger("org.parley.Server").info("Parley stopped");
        assertThat(out.toString(StandardCharsets.UTF_8).lines())
                .anyMatch(l -> l.endsWith(" INFO  o.p.c.ConnectionLog [k3j2q8vd] - bound alice@localhost/phone"))
                .anyMatch(l -> l.endsWith(" INFO  org.parley.Server - Parley stopped"));
    }

    @Test
    void parleyStartLogsJsonWhenAskedTo(@TempDir Path dir) throws Exception {
        try (ChildServer child = ChildServer.start(dir, Map.of("PARLEY_LOG_FORMAT", "json"))) {
            Path log = dir.resolve("child.log");
            JsonNode serving = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (serving == null && System.nanoTime() < deadline) {
                for (String line : Files.readAllLines(log)) {
                    if (line.startsWith("{") && line.contains("Parley serving")) {
                        serving = json.readTree(line);
                    }
                }
                Thread.sleep(50);
            }
            assertThat(serving).as("the start-up banner as JSON in %s", log).isNotNull();
            assertThat(serving.get("level").asText()).isEqualTo("INFO");
            assertThat(serving.get("loggerName").asText()).isEqualTo("org.parley.Server");
            for (String line : Files.readAllLines(log)) {
                if (line.startsWith("{")) {
                    assertThat(json.readTree(line).isObject()).isTrue();
                }
            }
        }
    }
}
