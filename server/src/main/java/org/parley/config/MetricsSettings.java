package org.parley.config;

/** {@code metrics.*}: the Prometheus endpoint, off unless a port is given. */
public record MetricsSettings(SectionValues values) {

    static final Option<String> BIND_ADDRESS = Option.text("bindAddress", "127.0.0.1",
            "listening address of the metrics endpoint");
    static final Option<Integer> PORT = Option.port("port", -1, true, "the Prometheus metrics port");

    public static final Section SECTION = Section.of("metrics", BIND_ADDRESS, PORT);

    public String bindAddress() {
        return values.get(BIND_ADDRESS);
    }

    /** -1 when metrics are off. */
    public int port() {
        return values.get(PORT);
    }
}
