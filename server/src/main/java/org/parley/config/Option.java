package org.parley.config;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One setting an operator may give: its name within its {@link Section}, its type, its default,
 * its bounds and a one-line description. Whoever reads a setting declares it, once, as a constant
 * beside the code that uses it, and lists it in its section; {@link ConfigLoader} checks the
 * operator's value against it at start-up, and the value is read back through the same constant,
 * so a value always has the type and bounds its reader declared.
 *
 * <pre>{@code
 * static final Option<Integer> MAX_PAGE_SIZE =
 *         Option.integer("maxPageSize", 250, 1, 10_000, "the largest MAM page a client may ask for");
 *
 * public List<Option<?>> options() { return List.of(MAX_PAGE_SIZE); }   // in the Module
 * int max = ctx.option(MAX_PAGE_SIZE);                                   // in Module.start
 * }</pre>
 *
 * <p>The YAML key is {@code <section>.<name>} (e.g. {@code archive.maxPageSize}); the environment
 * variable is derived from it ({@code PARLEY_ARCHIVE_MAX_PAGE_SIZE}). Options are compared by
 * identity: declare each once. Immutable: the fluent methods return a new option.
 *
 * @param <T> the type of the value; a default of {@code null} means "unset"
 */
public final class Option<T> {

    private static final Pattern NAME = Pattern.compile("[a-z][A-Za-z0-9]*");
    private static final String DURATION_SYNTAX = "must be a duration such as 500ms, 30s, 5m, 1h or ISO-8601 PT30S";

    /** Reads the text of a value; null when it is not a value of this type at all. */
    @FunctionalInterface
    interface Reader<T> {
        T read(String key, RawSettings.Raw raw);
    }

    /** A bound the value must keep; {@code must} completes "key: ..." when it does not. */
    private record Check<T>(Predicate<? super T> test, String must) {
    }

    private final String name;
    private final T defaultValue;
    private final String description;
    private final Reader<T> reader;
    private final String must;
    private final List<Check<T>> checks;
    private final Function<? super T, String> format;
    private final String documentedDefault;
    private final String formerly;
    /** What YAML value other than a scalar the option takes: a mapping, a list, or neither. */
    private final Shape shape;

    /** Whether a YAML mapping or list is a value of the option. */
    enum Shape { SCALAR, MAPPING, LIST }

    private Option(String name, T defaultValue, String description, Reader<T> reader, String must,
                   List<Check<T>> checks, Function<? super T, String> format, String documentedDefault,
                   String formerly, Shape shape) {
        this.name = name;
        this.defaultValue = defaultValue;
        this.description = description;
        this.reader = reader;
        this.must = must;
        this.checks = List.copyOf(checks);
        this.format = format;
        this.documentedDefault = documentedDefault;
        this.formerly = formerly;
        this.shape = shape;
    }

    private static <T> Option<T> of(String name, T defaultValue, String description, Reader<T> reader, String must,
                                    List<Check<T>> checks, Function<? super T, String> format) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("an option name is lowerCamelCase: " + name);
        }
        Objects.requireNonNull(description, "description");
        Option<T> option = new Option<>(name, defaultValue, description, reader, must, checks, format, null, null,
                Shape.SCALAR);
        option.requireValidDefault();
        return option;
    }

    // ---- factories -------------------------------------------------------------------------

    /**
     * A whole number from {@code min} to {@code max}. Below the minimum (or not a number) reads
     * "must be a positive integer" (min 1), "a non-negative integer" (min 0) or "an integer of at
     * least min"; above the maximum "must be at most max".
     */
    public static Option<Integer> integer(String name, int defaultValue, int min, int max, String description) {
        String what = min == 1 ? "a positive integer" : min == 0 ? "a non-negative integer"
                : "an integer of at least " + min;
        return of(name, defaultValue, description, Option::readInteger, "must be " + what,
                List.of(new Check<>(v -> v >= min, "must be " + what),
                        new Check<>(v -> v <= max, "must be at most " + max)),
                String::valueOf);
    }

    /** A TCP port, 0 meaning any free port; with {@code offAllowed}, -1 turns the listener off. */
    public static Option<Integer> port(String name, int defaultValue, boolean offAllowed, String description) {
        String what = "must be a port number 0-65535 (0 = any free port)" + (offAllowed ? " or -1 to disable" : "");
        int min = offAllowed ? -1 : 0;
        return of(name, defaultValue, description, Option::readInteger, what,
                List.of(new Check<>(v -> v >= min, what), new Check<>(v -> v <= 65_535, "must be at most 65535")),
                String::valueOf);
    }

    /** A duration written {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 2d} or ISO-8601. */
    public static Option<Duration> duration(String name, Duration defaultValue, Duration min, Duration max,
                                            String description) {
        String between = "must be between " + Durations.format(min) + " and " + Durations.format(max);
        return of(name, defaultValue, description, (key, raw) -> Durations.parse(raw.text().trim()).orElse(null),
                DURATION_SYNTAX, List.of(new Check<>(v -> v.compareTo(min) >= 0 && v.compareTo(max) <= 0, between)),
                Durations::format);
    }

    /** {@code true} or {@code false}; a null default is "unset", for a module that derives it. */
    public static Option<Boolean> bool(String name, Boolean defaultValue, String description) {
        return of(name, defaultValue, description, (key, raw) -> switch (raw.text().trim().toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> null;
        }, "must be true or false", List.of(), String::valueOf);
    }

    /** Text that is not blank, trimmed; a null default is "unset". */
    public static Option<String> text(String name, String defaultValue, String description) {
        return of(name, defaultValue, description, (key, raw) -> raw.text().isBlank() ? null : raw.text().trim(),
                "must not be empty", List.of(), Function.identity());
    }

    /** One of {@code choices}, in any case, read as the choice is spelt ("must be always, never or roster"). */
    public static Option<String> choice(String name, String defaultValue, List<String> choices, String description) {
        String last = choices.getLast();
        String list = choices.size() == 1 ? last
                : String.join(", ", choices.subList(0, choices.size() - 1)) + " or " + last;
        return of(name, defaultValue, description, (key, raw) -> {
            String text = raw.text().trim();
            return choices.stream().filter(c -> c.equalsIgnoreCase(text)).findFirst().orElse(null);
        }, "must be " + list, List.of(new Check<>(choices::contains, "must be " + list)), Function.identity());
    }

    /** A domain name (RFC 7622 §3.2), kept in the lower-case ASCII form used for comparisons. */
    public static Option<String> domain(String name, String defaultValue, String description) {
        return of(name, defaultValue, description, (key, raw) -> Domains.ascii(raw.text()),
                "must be a valid domain name", List.of(), Function.identity());
    }

    /** A file system path; a null default is "unset". */
    public static Option<Path> path(String name, Path defaultValue, String description) {
        return of(name, defaultValue, description, Option::readPath, "must be a file system path", List.of(),
                Path::toString);
    }

    /** A path that must name a readable regular file at start-up (it is read then); unset by default. */
    public static Option<Path> file(String name, String description) {
        return of(name, null, description, Option::readPath, "must be a file system path",
                List.of(new Check<>(p -> Files.isRegularFile(p) && Files.isReadable(p), "must be a readable file")),
                Path::toString);
    }

    /**
     * A map from domain name to text: a YAML mapping (whose values may hold ',' and '='), or
     * {@code a.example=s1,b.example=s2} in the environment. Keys are normalised as {@link #domain}
     * does; empty by default, which the documentation shows as "none".
     */
    public static Option<Map<String, String>> domainMap(String name, String description) {
        Option<Map<String, String>> o = of(name, Map.of(), description, Option::readDomainMap,
                "must be entries domain=value separated by commas", List.of(),
                m -> m.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(",")));
        return new Option<>(o.name, o.defaultValue, o.description, o.reader, o.must, o.checks, o.format, "none",
                null, Shape.MAPPING);
    }

    /**
     * A list of URIs (RFC 3986, each with a scheme: {@code mailto:abuse@example.org},
     * {@code xmpp:admin@example.org}, {@code https://example.org/support}): a YAML list, or URIs
     * separated by spaces or commas in the environment. Empty by default ("none" in README).
     */
    public static Option<List<String>> uriList(String name, String description) {
        Option<List<String>> o = of(name, List.of(), description, Option::readUriList,
                "must be URIs with a scheme (mailto:, xmpp:, https:, ...), separated by spaces or commas",
                List.of(), v -> String.join(" ", v));
        return new Option<>(o.name, o.defaultValue, o.description, o.reader, o.must, o.checks, o.format, "none",
                null, Shape.LIST);
    }

    // ---- refinements ------------------------------------------------------------------------

    /**
     * Adds a bound: a value failing {@code test} stops start-up with "key: must be {@code what},
     * got ...". The default must pass it too (null defaults are not checked).
     */
    public Option<T> check(Predicate<? super T> test, String what) {
        List<Check<T>> more = new ArrayList<>(checks);
        more.add(new Check<>(test, "must be " + what));
        Option<T> o = new Option<>(name, defaultValue, description, reader, must, more, format, documentedDefault,
                formerly, shape);
        o.requireValidDefault();
        return o;
    }

    /** Replaces what a value that does not read (or is below the minimum) is told it must be. */
    public Option<T> mustBe(String what) {
        List<Check<T>> replaced = checks.stream()
                .map(c -> c.must().equals(must) ? new Check<T>(c.test(), "must be " + what) : c).toList();
        return new Option<>(name, defaultValue, description, reader, "must be " + what, replaced, format,
                documentedDefault, formerly, shape);
    }

    /**
     * How README's table shows the default when it is not a fixed value, in Markdown, e.g.
     * {@code "generated"} or {@code "on for `localhost` only"}.
     */
    public Option<T> documentedAs(String markdown) {
        return new Option<>(name, defaultValue, description, reader, must, checks, format, markdown, formerly,
                shape);
    }

    /**
     * The dotted key this setting had before it moved here: an operator who still writes it is
     * told the new key instead of only "unknown key". The old key is not read.
     */
    public Option<T> formerly(String oldKey) {
        return new Option<>(name, defaultValue, description, reader, must, checks, format, documentedDefault,
                oldKey, shape);
    }

    // ---- what the loader and the documentation ask ------------------------------------------

    public String name() {
        return name;
    }

    /** The value when the operator gives none; null for an unset option. */
    public T defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** The default as README's configuration table shows it: {@code `30s`}, {@code unset}, ... */
    public String documentedDefault() {
        if (documentedDefault != null) {
            return documentedDefault;
        }
        return defaultValue == null ? "unset" : "`" + format.apply(defaultValue) + "`";
    }

    /** The key this option was known by before, or null. */
    String formerly() {
        return formerly;
    }

    /** True when a YAML mapping is a value of this option rather than a section. */
    boolean takesMapping() {
        return shape == Shape.MAPPING;
    }

    /** True when a YAML list is a value of this option. */
    boolean takesList() {
        return shape == Shape.LIST;
    }

    /** The typed value of {@code raw}, or a {@link ConfigException} naming {@code key}. */
    T read(String key, RawSettings.Raw raw) {
        T value = reader.read(key, raw);
        if (value == null) {
            throw invalid(key, raw, must);
        }
        for (Check<T> c : checks) {
            if (!c.test().test(value)) {
                throw invalid(key, raw, c.must());
            }
        }
        return value;
    }

    static ConfigException invalid(String key, RawSettings.Raw raw, String must) {
        String origin = raw.origin() == null ? "" : " (from environment variable " + raw.origin() + ")";
        return new ConfigException(key, must + ", got \"" + raw.text() + "\"" + origin);
    }

    @Override
    public String toString() {
        return name;
    }

    private void requireValidDefault() {
        if (defaultValue == null) {
            return;
        }
        for (Check<T> c : checks) {
            if (!c.test().test(defaultValue)) {
                throw new IllegalArgumentException("the default of " + name + " breaks its own bound: " + c.must());
            }
        }
    }

    private static Integer readInteger(String key, RawSettings.Raw raw) {
        try {
            long v = Long.parseLong(raw.text().trim());
            // Out of int range still reads as a number, so the message names the bound it breaks.
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Path readPath(String key, RawSettings.Raw raw) {
        if (raw.text().isBlank()) {
            return null;
        }
        try {
            return Path.of(raw.text().trim());
        } catch (InvalidPathException e) {
            return null;
        }
    }

    private static Map<String, String> readDomainMap(String key, RawSettings.Raw raw) {
        Map<String, String> entries = raw.entries();
        if (entries == null) {
            entries = new LinkedHashMap<>();
            for (String pair : raw.text().split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    return null;
                }
                entries.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : entries.entrySet()) {
            String domain = Domains.ascii(e.getKey());
            if (domain == null) {
                throw new ConfigException(key, "\"" + e.getKey() + "\" is not a valid domain name");
            }
            if (out.put(domain, e.getValue()) != null) {
                throw new ConfigException(key, domain + " is given twice");
            }
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private static List<String> readUriList(String key, RawSettings.Raw raw) {
        List<String> uris = new ArrayList<>();
        for (String part : raw.text().split("[\\s,]+")) {
            if (part.isEmpty()) {
                continue;
            }
            try {
                java.net.URI uri = new java.net.URI(part);
                if (uri.getScheme() == null) {
                    return null;
                }
            } catch (java.net.URISyntaxException e) {
                return null;
            }
            uris.add(part);
        }
        return List.copyOf(uris);
    }
}
