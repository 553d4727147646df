package org.parley.xml;

import java.util.Objects;

/** Character data. Immutable. */
public record Text(String value) implements Node {

    public Text {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public void writeTo(StringBuilder out, String parentNamespace) {
        Escaping.escapeText(value, out);
    }
}
