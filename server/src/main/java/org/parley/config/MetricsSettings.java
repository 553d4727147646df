package org.parley.config;

/**
 * {@code metrics.*}: where {@code /metrics} (Prometheus) is served: on the HTTP listener while that
 * is private, and on a metrics-only port when one is given.
 */
public record MetricsSettings(SectionValues values) {

    static final Option<String> BIND_ADDRESS = Option.text("bindAddress", "127.0.0.1",
            "listening address of the metrics-only port");
    static final Option<Integer> PORT = Option.port("port", -1, true, "a metrics-only HTTP port");
    /** Unset means: on while {@code http.bindAddress} is a loopback address (derived by the loader). */
    static final Option<Boolean> HTTP = Option.bool("http", null, "serve /metrics on the HTTP listener too")
            .documentedAs("on while `http.bindAddress` is loopback");

    public static final Section SECTION = Section.of("metrics", BIND_ADDRESS, PORT, HTTP);

    public String bindAddress() {
        return values.get(BIND_ADDRESS);
    }

    /** The metrics-only port; -1 when off. */
    public int port() {
        return values.get(PORT);
    }

    /**
     * Whether the HTTP listener serves {@code /metrics} too. By default only while it listens on
     * loopback: opened to the network, it should not publish the server's internals.
     */
    public boolean http() {
        return values.get(HTTP);
    }
}
