package org.parley.xml;

/** A node of an immutable XML tree: an {@link Element} or a {@link Text}. */
public sealed interface Node permits Element, Text {

    /** Appends this node's XML serialisation to {@code out}, given the default namespace in scope. */
    void writeTo(StringBuilder out, String parentNamespace);
}
