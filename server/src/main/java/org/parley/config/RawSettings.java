package org.parley.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's settings as text, before typing: YAML values first, environment variables laid
 * over them. Keys nobody knows are rejected here so a typo never silently falls back to a default.
 */
final class RawSettings {

    private static final Logger log = LoggerFactory.getLogger(RawSettings.class);

    /**
     * One setting as written, and where it came from for error messages. A map-valued key written
     * as a YAML mapping also keeps its entries, so values may hold the ',' and '=' that the
     * environment's {@code k=v,k2=v2} form cannot.
     */
    record Raw(String text, String origin, Map<String, String> entries) {
        Raw(String text, String origin) {
            this(text, origin, null);
        }
    }

    private final Map<ConfigKey, Raw> values = new EnumMap<>(ConfigKey.class);

    private RawSettings() {
    }

    static RawSettings read(Path yamlFileOrNull, Map<String, String> env) {
        RawSettings settings = new RawSettings();
        if (yamlFileOrNull != null) {
            settings.flatten("", readYaml(yamlFileOrNull));
        }
        settings.overlay(env);
        return settings;
    }

    Optional<Raw> get(ConfigKey key) {
        return Optional.ofNullable(values.get(key));
    }

    private static JsonNode readYaml(Path file) {
        YAMLMapper mapper = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
        try {
            String text = Files.readString(file);
            JsonNode root = mapper.readTree(text);
            if (root == null || root.isMissingNode() || root.isNull()) {
                return mapper.createObjectNode();
            }
            if (!root.isObject()) {
                throw new ConfigException(null, file + ": must be a YAML mapping of keys to values");
            }
            return root;
        } catch (NoSuchFileException e) {
            throw new ConfigException(null, "config file not found: " + file);
        } catch (JsonProcessingException e) {
            throw new ConfigException(null, file + ": invalid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(null, "cannot read config file " + file + ": " + e.getMessage());
        }
    }

    private void flatten(String prefix, JsonNode object) {
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            String path = prefix + field.getKey();
            JsonNode value = field.getValue();
            Optional<ConfigKey> key = ConfigKey.byYamlName(path);
            if (key.isPresent() && key.get().isMap() && value.isObject()) {
                values.put(key.get(), mapping(path, value));
            } else if (key.isPresent()) {
                if (value.isContainerNode()) {
                    throw new ConfigException(path, "must be a single value, got a " + (value.isObject() ? "mapping" : "list"));
                }
                if (!value.isNull()) {
                    values.put(key.get(), new Raw(value.asText(), null));
                }
            } else if (ConfigKey.isSection(path)) {
                if (!value.isObject()) {
                    throw new ConfigException(path, "must be a mapping of keys, got \"" + value.asText() + "\"");
                }
                flatten(path + ".", value);
            } else {
                throw new ConfigException(path, "unknown key");
            }
        }
    }

    private static Raw mapping(String path, JsonNode object) {
        Map<String, String> entries = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            if (e.getValue().isContainerNode() || e.getValue().isNull()) {
                throw new ConfigException(path + "." + e.getKey(), "must be a single value");
            }
            entries.put(e.getKey(), e.getValue().asText());
        }
        return new Raw(String.join(",", entries.keySet()), null, entries);
    }

    private void overlay(Map<String, String> env) {
        for (Map.Entry<String, String> e : env.entrySet()) {
            if (!e.getKey().startsWith(ConfigKey.ENV_PREFIX)) {
                continue;
            }
            Optional<ConfigKey> key = ConfigKey.byEnvName(e.getKey());
            if (key.isPresent()) {
                values.put(key.get(), new Raw(e.getValue(), e.getKey()));
            } else {
                // Not an error: launch scripts and test harnesses use PARLEY_* names of their own.
                log.debug("ignoring environment variable {}: not a configuration key", e.getKey());
            }
        }
    }
}
