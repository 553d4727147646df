package org.parley.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The server's whole configuration: checked once by {@link ConfigLoader}, immutable after.
 *
 * <p>The core's settings are one small record per YAML block ({@code c2s}, {@code auth}, ...),
 * each declaring its {@link Option}s; the modules' blocks are kept as {@link SectionValues},
 * which each module reads through its {@code ModuleContext}. Every limit the server enforces is an
 * option with a sane default, listed in README's configuration table.
 *
 * @param modules the modules' sections by name, as declared when the configuration was loaded
 */
public record Config(ServerSettings server, DatabaseSettings database, C2sSettings c2s, TlsSettings tls,
                     LimitsSettings limits, AuthSettings auth, PingSettings ping, ClusterSettings cluster,
                     HttpSettings http, MetricsSettings metrics, ComponentsSettings components, LogSettings log,
                     WebSocketSettings websocket, BoshSettings bosh, NetworkSettings network,
                     Map<String, SectionValues> modules) {

    /** The core's sections: every setting that is not a module's. */
    public static final List<Section> CORE = List.of(ServerSettings.SECTION, DatabaseSettings.SECTION,
            C2sSettings.SECTION, TlsSettings.SECTION, LimitsSettings.SECTION, AuthSettings.SECTION,
            PingSettings.SECTION, HttpSettings.SECTION, MetricsSettings.SECTION, ClusterSettings.SECTION,
            ComponentsSettings.SECTION, LogSettings.SECTION, WebSocketSettings.SECTION,
            BoshSettings.SECTION, NetworkSettings.SECTION);

    public Config {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(c2s, "c2s");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(auth, "auth");
        Objects.requireNonNull(ping, "ping");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(http, "http");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(components, "components");
        Objects.requireNonNull(log, "log");
        Objects.requireNonNull(websocket, "websocket");
        Objects.requireNonNull(bosh, "bosh");
        Objects.requireNonNull(network, "network");
        modules = Map.copyOf(modules);
    }

    /** The XMPP domain served. */
    public String domain() {
        return server.domain();
    }

    /**
     * A module's section.
     *
     * @throws IllegalArgumentException when it was not declared when this configuration was loaded
     */
    public SectionValues module(String section) {
        SectionValues values = modules.get(section);
        if (values == null) {
            throw new IllegalArgumentException("no module section " + section + " was declared when the configuration"
                    + " was loaded: pass the modules' sections to ConfigLoader.load");
        }
        return values;
    }
}
