package org.parley.config;

import java.net.IDN;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns raw settings into typed values, each checked against its bounds. Every failure names the
 * key, what it must be, and the text that was given.
 */
final class TypedSettings {

    private static final Pattern SHORT_DURATION = Pattern.compile("(\\d{1,9})\\s*(ms|s|m|h|d)");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private final RawSettings raw;

    TypedSettings(RawSettings raw) {
        this.raw = raw;
    }

    boolean isSet(ConfigKey key) {
        return raw.get(key).isPresent();
    }

    /**
     * @param what how a valid value reads after "must be", e.g. "a positive integer"
     */
    int integer(ConfigKey key, int fallback, int min, int max, String what) {
        Optional<RawSettings.Raw> value = raw.get(key);
        if (value.isEmpty()) {
            return fallback;
        }
        String text = value.get().text().trim();
        long parsed;
        try {
            parsed = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw invalid(key, value.get(), "must be " + what);
        }
        if (parsed < min) {
            throw invalid(key, value.get(), "must be " + what);
        }
        if (parsed > max) {
            throw invalid(key, value.get(), "must be at most " + max);
        }
        return (int) parsed;
    }

    boolean bool(ConfigKey key, boolean fallback) {
        Optional<RawSettings.Raw> value = raw.get(key);
        if (value.isEmpty()) {
            return fallback;
        }
        return switch (value.get().text().trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, value.get(), "must be true or false");
        };
    }

    Duration duration(ConfigKey key, Duration fallback, Duration min, Duration max) {
        Optional<RawSettings.Raw> value = raw.get(key);
        if (value.isEmpty()) {
            return fallback;
        }
        Duration parsed = parseDuration(value.get().text().trim())
                .orElseThrow(() -> invalid(key, value.get(),
                        "must be a duration such as 500ms, 30s, 5m, 1h or ISO-8601 PT30S"));
        if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
            throw invalid(key, value.get(), "must be between " + human(min) + " and " + human(max));
        }
        return parsed;
    }

    String text(ConfigKey key, String fallback) {
        Optional<RawSettings.Raw> value = raw.get(key);
        if (value.isEmpty()) {
            return fallback;
        }
        String text = value.get().text().trim();
        if (text.isEmpty()) {
            throw invalid(key, value.get(), "must not be empty");
        }
        return text;
    }

    Path path(ConfigKey key, Path fallback) {
        Optional<RawSettings.Raw> value = raw.get(key);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Path.of(text(key, null));
        } catch (InvalidPathException e) {
            throw invalid(key, value.get(), "must be a file system path");
        }
    }

    /** A path that must name a readable regular file now, because TLS reads it at start. */
    Path existingFile(ConfigKey key) {
        Path path = path(key, null);
        if (path != null && !(Files.isRegularFile(path) && Files.isReadable(path))) {
            throw invalid(key, raw.get(key).orElseThrow(), "must be a readable file");
        }
        return path;
    }

    /** The domainpart of RFC 7622 §3.2, in the ASCII lower-case form used for comparisons. */
    String domain(ConfigKey key, String fallback) {
        Optional<RawSettings.Raw> value = raw.get(key);
        if (value.isEmpty()) {
            return fallback;
        }
        String ascii = asciiDomain(value.get().text());
        if (ascii == null) {
            throw invalid(key, value.get(), "must be a valid domain name");
        }
        return ascii;
    }

    /**
     * A map from domain to text: a YAML mapping, or {@code a.example=s1,b.example=s2} from the
     * environment. Keys are normalised as {@link #domain} does; empty when the key is unset.
     */
    java.util.Map<String, String> domainMap(ConfigKey key) {
        Optional<RawSettings.Raw> value = raw.get(key);
        if (value.isEmpty()) {
            return java.util.Map.of();
        }
        java.util.Map<String, String> entries = value.get().entries();
        if (entries == null) {
            entries = new java.util.LinkedHashMap<>();
            for (String pair : value.get().text().split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw invalid(key, value.get(), "must be entries domain=value separated by commas");
                }
                entries.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        for (java.util.Map.Entry<String, String> e : entries.entrySet()) {
            String domain = asciiDomain(e.getKey());
            if (domain == null) {
                throw new ConfigException(key.yamlName(), "\"" + e.getKey() + "\" is not a valid domain name");
            }
            if (out.put(domain, e.getValue()) != null) {
                throw new ConfigException(key.yamlName(), domain + " is given twice");
            }
        }
        return out;
    }

    private static String asciiDomain(String text) {
        text = text.trim();
        if (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        String ascii;
        try {
            ascii = IDN.toASCII(text, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (ascii.isEmpty() || ascii.length() > 253
                || !java.util.Arrays.stream(ascii.split("\\.", -1)).allMatch(l -> LABEL.matcher(l).matches())) {
            return null;
        }
        return ascii;
    }

    ConfigException invalid(ConfigKey key, RawSettings.Raw value, String must) {
        String origin = value.origin() == null ? "" : " (from environment variable " + value.origin() + ")";
        return new ConfigException(key.yamlName(), must + ", got \"" + value.text() + "\"" + origin);
    }

    static Optional<Duration> parseDuration(String text) {
        Matcher m = SHORT_DURATION.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return Optional.of(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        if (!text.isEmpty() && (text.charAt(0) == 'P' || text.charAt(0) == 'p')) {
            try {
                return Optional.of(Duration.parse(text));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static String human(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        if (d.toMillisPart() != 0) {
            return d.toMillis() + "ms";
        }
        if (d.toSecondsPart() != 0) {
            return d.toSeconds() + "s";
        }
        return d.toMinutesPart() != 0 ? d.toMinutes() + "m" : d.toHours() + "h";
    }
}
