package org.parley.config;

import java.util.List;

/** {@code log.*}: how much the server logs and in which form; applied once by the command line. */
public record LogSettings(SectionValues values) {

    static final Option<String> LEVEL = Option.choice("level", "info",
            List.of("error", "warn", "info", "debug", "trace"), "the level of Parley's own loggers (org.parley)");
    static final Option<String> FORMAT = Option.choice("format", "text", List.of("text", "json"),
            "text lines, or one JSON object per line");

    public static final Section SECTION = Section.of("log", LEVEL, FORMAT);

    /** error, warn, info, debug or trace. */
    public String level() {
        return values.get(LEVEL);
    }

    public boolean json() {
        return "json".equals(values.get(FORMAT));
    }
}
