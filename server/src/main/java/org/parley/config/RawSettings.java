package org.parley.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's settings as text, before typing: YAML values first, environment variables laid
 * over them. Keys no section declares are rejected here so a typo never silently falls back to a
 * default.
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

    /** What the declared sections allow, by dotted key, environment name and former key. */
    private record Catalogue(Map<String, Option<?>> byKey, Map<String, String> keyByEnv,
                             Map<String, String> sectionByEnvPrefix, Map<String, String> renamed) {

        static Catalogue of(List<Section> sections) {
            Map<String, Option<?>> byKey = new HashMap<>();
            Map<String, String> keyByEnv = new HashMap<>();
            Map<String, String> prefixes = new HashMap<>();
            Map<String, String> renamed = new HashMap<>();
            for (Section s : sections) {
                if (!s.name().isEmpty() && prefixes.put(Section.envName(s.name()) + "_", s.name()) != null) {
                    throw new IllegalArgumentException("two sections are named " + s.name());
                }
                for (Option<?> o : s.options()) {
                    String key = s.key(o);
                    if (byKey.put(key, o) != null) {
                        throw new IllegalArgumentException("two sections declare " + key);
                    }
                    String clash = keyByEnv.put(Section.envName(key), key);
                    if (clash != null) {
                        throw new IllegalArgumentException(key + " and " + clash + " have one environment name");
                    }
                    if (o.formerly() != null) {
                        renamed.put(o.formerly(), key);
                    }
                }
            }
            for (String old : List.copyOf(renamed.keySet())) {
                renamed.put(Section.envName(old), renamed.get(old));
            }
            return new Catalogue(byKey, keyByEnv, prefixes, renamed);
        }

        boolean isSection(String path) {
            String prefix = path + ".";
            return byKey.keySet().stream().anyMatch(k -> k.startsWith(prefix));
        }

        ConfigException unknown(String keyOrEnvName) {
            String now = renamed.get(keyOrEnvName);
            if (now != null) {
                return new ConfigException(keyOrEnvName, "unknown key: it is now " + now
                        + (keyOrEnvName.startsWith(Section.ENV_PREFIX) ? " (" + Section.envName(now) + ")" : ""));
            }
            return new ConfigException(keyOrEnvName, "unknown key");
        }
    }

    private final Catalogue catalogue;
    private final Map<String, Raw> values = new HashMap<>();

    private RawSettings(Catalogue catalogue) {
        this.catalogue = catalogue;
    }

    static RawSettings read(Path yamlFileOrNull, Map<String, String> env, List<Section> sections) {
        RawSettings settings = new RawSettings(Catalogue.of(sections));
        if (yamlFileOrNull != null) {
            settings.flatten("", readYaml(yamlFileOrNull));
        }
        settings.overlay(env);
        return settings;
    }

    /** The value given for a dotted key, if any. */
    Optional<Raw> get(String key) {
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
            Option<?> option = catalogue.byKey().get(path);
            if (option != null && option.takesMapping() && value.isObject()) {
                values.put(path, mapping(path, value));
            } else if (option != null && option.takesList() && value.isArray()) {
                values.put(path, list(path, value));
            } else if (option != null) {
                if (value.isContainerNode()) {
                    throw new ConfigException(path, "must be a single value, got a " + (value.isObject() ? "mapping" : "list"));
                }
                if (!value.isNull()) {
                    values.put(path, new Raw(value.asText(), null));
                }
            } else if (catalogue.isSection(path)) {
                if (value.isNull()) {
                    continue; // "archive:" with every key commented out
                }
                if (!value.isObject()) {
                    throw new ConfigException(path, "must be a mapping of keys, got \"" + value.asText() + "\"");
                }
                flatten(path + ".", value);
            } else {
                throw catalogue.unknown(path);
            }
        }
    }

    private static Raw mapping(String path, JsonNode object) {
        Map<String, String> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            if (e.getValue().isContainerNode() || e.getValue().isNull()) {
                throw new ConfigException(path + "." + e.getKey(), "must be a single value");
            }
            entries.put(e.getKey(), e.getValue().asText());
        }
        return new Raw(String.join(",", entries.keySet()), null, entries);
    }

    /** A YAML list of single values, as the text an environment variable would hold (space-separated). */
    private static Raw list(String path, JsonNode array) {
        List<String> items = new java.util.ArrayList<>();
        for (JsonNode item : array) {
            if (item.isContainerNode() || item.isNull()) {
                throw new ConfigException(path, "must be a list of single values");
            }
            items.add(item.asText());
        }
        return new Raw(String.join(" ", items), null);
    }

    /**
     * A {@code PARLEY_*} variable names a key, or falls under a section ({@code PARLEY_ARCHIVE_...})
     * and is then a misspelt key; any other (such as the launcher's {@code PARLEY_JAVA_OPTS}) is
     * not configuration and is left alone.
     */
    private void overlay(Map<String, String> env) {
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(Section.ENV_PREFIX)) {
                continue;
            }
            String key = catalogue.keyByEnv().get(name);
            if (key != null) {
                values.put(key, new Raw(e.getValue(), name));
            } else if (catalogue.sectionByEnvPrefix().keySet().stream().anyMatch(name::startsWith)) {
                throw catalogue.unknown(name);
            } else {
                log.debug("ignoring environment variable {}: not a configuration key", name);
            }
        }
    }
}
