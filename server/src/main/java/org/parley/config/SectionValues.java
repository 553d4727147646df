package org.parley.config;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The checked values of one {@link Section}: every option it declares, with the operator's value
 * or the default. Read a value with the option that declared it; asking for an option the section
 * does not declare is a programming error.
 */
public final class SectionValues {

    private final Section section;
    /** Keyed by option identity; a value may be null (an unset option). */
    private final Map<Option<?>, Object> values;

    private SectionValues(Section section, Map<Option<?>, Object> values) {
        this.section = section;
        this.values = Collections.unmodifiableMap(values);
    }

    /** Every option of {@code section} from {@code raw}, or its default; checked one by one. */
    static SectionValues read(Section section, RawSettings raw) {
        Map<Option<?>, Object> values = new HashMap<>();
        for (Option<?> o : section.options()) {
            String key = section.key(o);
            values.put(o, raw.get(key).<Object>map(r -> o.read(key, r)).orElse(o.defaultValue()));
        }
        return new SectionValues(section, values);
    }

    public Section section() {
        return section;
    }

    /** @throws IllegalArgumentException when this section does not declare {@code option} */
    @SuppressWarnings("unchecked")
    public <T> T get(Option<T> option) {
        if (!values.containsKey(option)) {
            throw new IllegalArgumentException("option " + option.name() + " is not declared in section "
                    + (section.name().isEmpty() ? "(top level)" : section.name()));
        }
        return (T) values.get(option);
    }

    /** A copy with one value replaced: for a default derived from another setting. */
    <T> SectionValues with(Option<T> option, T value) {
        get(option);
        Map<Option<?>, Object> copy = new HashMap<>(values);
        copy.put(option, value);
        return new SectionValues(section, copy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SectionValues other && section.equals(other.section) && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(section, values);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(section.name()).append('{');
        for (Option<?> o : section.options()) {
            b.append(o.name()).append('=').append(values.get(o)).append(", ");
        }
        if (!section.options().isEmpty()) {
            b.setLength(b.length() - 2);
        }
        return b.append('}').toString();
    }
}
