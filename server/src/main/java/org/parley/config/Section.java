package org.parley.config;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A block of the YAML file and the options it may hold: a core block such as {@code c2s}, or a
 * module's own (a module declares it through {@code Module.section()} and {@code Module.options()}).
 * The name {@code ""} is the top level ({@code domain}, {@code dataDir}).
 */
public record Section(String name, List<Option<?>> options) {

    /** The prefix of every environment variable that overrides a setting. */
    public static final String ENV_PREFIX = "PARLEY_";

    private static final Pattern NAME = Pattern.compile("[a-z][A-Za-z0-9]*");

    public Section {
        if (!name.isEmpty() && !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a section name is lowerCamelCase: " + name);
        }
        options = List.copyOf(options);
        Set<String> names = new HashSet<>();
        for (Option<?> o : options) {
            if (!names.add(o.name())) {
                throw new IllegalArgumentException("section " + name + " declares " + o.name() + " twice");
            }
        }
    }

    public static Section of(String name, Option<?>... options) {
        return new Section(name, List.of(options));
    }

    /** The dotted YAML key of one of this section's options, e.g. {@code archive.maxPageSize}. */
    public String key(Option<?> option) {
        return name.isEmpty() ? option.name() : name + "." + option.name();
    }

    /** {@code limits.maxStanzaBytes} becomes {@code PARLEY_LIMITS_MAX_STANZA_BYTES}. */
    static String envName(String dottedKey) {
        String snake = dottedKey.replace('.', '_').replaceAll("([a-z0-9])([A-Z])", "$1_$2");
        return ENV_PREFIX + snake.toUpperCase(Locale.ROOT);
    }
}
