package org.parley.config;

import java.util.Map;

/** {@code components.*}: XEP-0114 external components; the listener opens only when one is configured. */
public record ComponentsSettings(SectionValues values) {

    static final Option<String> BIND_ADDRESS = Option.text("bindAddress", "127.0.0.1",
            "listening address of the component listener");
    static final Option<Integer> PORT = Option.port("port", 5347, false, "the component listener's port");
    static final Option<Map<String, String>> SERVICES = Option.domainMap("services",
            "component domain to shared secret");

    public static final Section SECTION = Section.of("components", BIND_ADDRESS, PORT, SERVICES);

    public String bindAddress() {
        return values.get(BIND_ADDRESS);
    }

    public int port() {
        return values.get(PORT);
    }

    /** Component domain to shared secret; empty when no component is configured. */
    public Map<String, String> services() {
        return values.get(SERVICES);
    }

    /**
     * A component serves a domain of its own: the server's domain would make the router's choice
     * ambiguous (a second entry for one domain is refused when the map is read).
     */
    void check(String serverDomain) {
        String key = SECTION.key(SERVICES);
        for (Map.Entry<String, String> e : services().entrySet()) {
            if (e.getKey().equals(serverDomain)) {
                throw new ConfigException(key, "a component cannot serve the server's own domain " + serverDomain);
            }
            if (e.getValue().isBlank()) {
                throw new ConfigException(key, "the secret of " + e.getKey() + " must not be empty");
            }
        }
    }
}
