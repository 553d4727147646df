package org.parley.config;

import java.nio.file.Path;
import java.util.Map;
import org.parley.Server;

/** Loads configurations as {@code parley start} does: the core's sections and the default modules'. */
final class TestConfigs {

    private TestConfigs() {
    }

    static Config load(Path yamlFileOrNull, Map<String, String> env) {
        return ConfigLoader.load(yamlFileOrNull, env, Server.defaultSections());
    }
}
