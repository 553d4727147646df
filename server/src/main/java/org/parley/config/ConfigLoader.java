package org.parley.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the one {@link Config} of a server: defaults, then a YAML file, then {@code PARLEY_*}
 * environment variables, each layer overriding the one before. Checks everything up front, core
 * and module sections alike, so a bad value stops the start with a message naming the key, not
 * a failure an hour later.
 */
public final class ConfigLoader {

    private ConfigLoader() {
    }

    /**
     * @param yamlFileOrNull the operator's YAML file, or {@code null} for defaults and environment only
     * @param env            the process environment (only {@code PARLEY_*} entries are read)
     * @param moduleSections the sections the server's modules declare ({@code Server.sections(modules)});
     *                       a key in any other section is unknown
     * @throws ConfigException naming the key when a value is unknown, mistyped or out of range
     * @throws IllegalArgumentException when two sections share a name or a key
     */
    public static Config load(Path yamlFileOrNull, Map<String, String> env, List<Section> moduleSections) {
        List<Section> all = new ArrayList<>(Config.CORE);
        all.addAll(moduleSections);
        RawSettings raw = RawSettings.read(yamlFileOrNull, env, all);

        ServerSettings server = new ServerSettings(SectionValues.read(ServerSettings.SECTION, raw));
        SectionValues db = SectionValues.read(DatabaseSettings.SECTION, raw);
        if (db.get(DatabaseSettings.URL) == null) {
            db = db.with(DatabaseSettings.URL, "jdbc:sqlite:" + server.dataDir().resolve("parley.db"));
        }
        DatabaseSettings database = new DatabaseSettings(db);
        TlsSettings tls = new TlsSettings(SectionValues.read(TlsSettings.SECTION, raw));
        tls.check();
        ClusterSettings cluster = new ClusterSettings(SectionValues.read(ClusterSettings.SECTION, raw));
        if (cluster.clustered() && database.isSqlite()) {
            // Every node must see the same accounts, rosters and offline messages.
            throw new ConfigException(DatabaseSettings.SECTION.key(DatabaseSettings.URL),
                    "cluster mode (cluster.nodeId) needs a shared PostgreSQL database such as "
                            + "jdbc:postgresql://db/parley, got \"" + database.url() + "\"");
        }
        HttpSettings http = new HttpSettings(SectionValues.read(HttpSettings.SECTION, raw));
        SectionValues metrics = SectionValues.read(MetricsSettings.SECTION, raw);
        if (metrics.get(MetricsSettings.HTTP) == null) {
            metrics = metrics.with(MetricsSettings.HTTP, isLoopback(http.bindAddress()));
        }
        ComponentsSettings components = new ComponentsSettings(SectionValues.read(ComponentsSettings.SECTION, raw));
        components.check(server.domain());

        Map<String, SectionValues> modules = new LinkedHashMap<>();
        for (Section s : moduleSections) {
            modules.put(s.name(), SectionValues.read(s, raw));
        }
        return new Config(server, database,
                new C2sSettings(SectionValues.read(C2sSettings.SECTION, raw)),
                tls,
                new LimitsSettings(SectionValues.read(LimitsSettings.SECTION, raw)),
                new AuthSettings(SectionValues.read(AuthSettings.SECTION, raw)),
                new PingSettings(SectionValues.read(PingSettings.SECTION, raw)),
                cluster,
                http,
                new MetricsSettings(metrics),
                components,
                new LogSettings(SectionValues.read(LogSettings.SECTION, raw)),
                new WebSocketSettings(SectionValues.read(WebSocketSettings.SECTION, raw)),
                new BoshSettings(SectionValues.read(BoshSettings.SECTION, raw)),
                new NetworkSettings(SectionValues.read(NetworkSettings.SECTION, raw)),
                modules);
    }

    /** True for a loopback address; a name that does not resolve is not taken for one. */
    private static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
