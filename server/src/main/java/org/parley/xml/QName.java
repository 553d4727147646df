package org.parley.xml;

import java.util.Objects;

/** A namespace-qualified element name, the key under which handlers and providers are registered. */
public record QName(String namespace, String name) {

    public QName {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    public static QName of(Element e) {
        return new QName(e.namespace(), e.name());
    }

    @Override
    public String toString() {
        return "{" + namespace + "}" + name;
    }
}
