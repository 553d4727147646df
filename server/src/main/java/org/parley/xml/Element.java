package org.parley.xml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * An immutable XML element: the unit every stanza and payload is parsed into once.
 *
 * <p>Attributes are kept as a flat name/value array in document order (names may carry a
 * prefix such as {@code xml:lang}); children are an immutable list. "Changing" an element
 * returns a new one that shares everything that did not change, so routing a stanza to many
 * recipients never copies its payload.
 */
public final class Element implements Node {
    private static final String[] NO_ATTRS = new String[0];

    private final String name;
    private final String namespace;
    private final String[] attrs;
    private final List<Node> children;
    /** The shared encoding this element is one copy of ({@link SharedEncoding#to}), else null. */
    private final SharedEncoding shared;

    private Element(String name, String namespace, String[] attrs, List<Node> children) {
        this(name, namespace, attrs, children, null);
    }

    private Element(String name, String namespace, String[] attrs, List<Node> children, SharedEncoding shared) {
        this.name = Objects.requireNonNull(name, "name");
        this.namespace = namespace == null ? "" : namespace;
        this.attrs = attrs;
        this.children = children;
        this.shared = shared;
    }

    /**
     * This element (which has no 'to') with 'to' set and tagged with {@code encoding}, whose
     * template it is: for {@link SharedEncoding#to}. Any change to the copy drops the tag.
     */
    Element addressed(String to, SharedEncoding encoding) {
        String[] copy = Arrays.copyOf(attrs, attrs.length + 2);
        copy[attrs.length] = "to";
        copy[attrs.length + 1] = to;
        return new Element(name, namespace, copy, children, encoding);
    }

    /** The shared encoding this element is a copy of, or null: encoders write its bytes instead of serialising. */
    public SharedEncoding sharedEncoding() {
        return shared;
    }

    /** For the parser, which hands over arrays it built for this element alone. */
    static Element parsed(String name, String namespace, String[] attrs, List<Node> children) {
        return new Element(name, namespace, attrs.length == 0 ? NO_ATTRS : attrs, children);
    }

    public static Builder builder(String name, String namespace) {
        return new Builder(name, namespace);
    }

    /** An element without attributes or children. */
    public static Element empty(String name, String namespace) {
        return new Element(name, namespace, NO_ATTRS, List.of());
    }

    public String name() {
        return name;
    }

    public String namespace() {
        return namespace;
    }

    public QName qname() {
        return new QName(namespace, name);
    }

    public boolean is(String name, String namespace) {
        return this.name.equals(name) && this.namespace.equals(namespace);
    }

    /** The attribute's value, or null when it is absent. */
    public String attr(String attrName) {
        for (int i = 0; i < attrs.length; i += 2) {
            if (attrs[i].equals(attrName)) {
                return attrs[i + 1];
            }
        }
        return null;
    }

    public int attributeCount() {
        return attrs.length / 2;
    }

    public String attributeName(int index) {
        return attrs[index * 2];
    }

    public String attributeValue(int index) {
        return attrs[index * 2 + 1];
    }

    public List<Node> children() {
        return children;
    }

    /** The child elements, without text nodes. */
    public List<Element> elements() {
        List<Element> out = new ArrayList<>(children.size());
        for (Node n : children) {
            if (n instanceof Element e) {
                out.add(e);
            }
        }
        return out;
    }

    /** The first child element with this name and namespace, or null. */
    public Element element(String childName, String childNamespace) {
        for (Node n : children) {
            if (n instanceof Element e && e.is(childName, childNamespace)) {
                return e;
            }
        }
        return null;
    }

    /** The first child element in this namespace whatever its name, or null. */
    public Element elementIn(String childNamespace) {
        for (Node n : children) {
            if (n instanceof Element e && e.namespace.equals(childNamespace)) {
                return e;
            }
        }
        return null;
    }

    public List<Element> elements(String childName, String childNamespace) {
        List<Element> out = new ArrayList<>();
        for (Node n : children) {
            if (n instanceof Element e && e.is(childName, childNamespace)) {
                out.add(e);
            }
        }
        return out;
    }

    /** The concatenated character data directly inside this element. */
    public String text() {
        if (children.size() == 1 && children.get(0) instanceof Text t) {
            return t.value();
        }
        StringBuilder sb = new StringBuilder();
        for (Node n : children) {
            if (n instanceof Text t) {
                sb.append(t.value());
            }
        }
        return sb.toString();
    }

    /** The text of the first matching child element, or null when there is none. */
    public String childText(String childName, String childNamespace) {
        Element e = element(childName, childNamespace);
        return e == null ? null : e.text();
    }

    /** A copy with the attribute set (or removed, when {@code value} is null). */
    public Element withAttr(String attrName, String value) {
        for (int i = 0; i < attrs.length; i += 2) {
            if (attrs[i].equals(attrName)) {
                if (value == null) {
                    String[] copy = new String[attrs.length - 2];
                    System.arraycopy(attrs, 0, copy, 0, i);
                    System.arraycopy(attrs, i + 2, copy, i, attrs.length - i - 2);
                    return new Element(name, namespace, copy, children);
                }
                if (attrs[i + 1].equals(value)) {
                    return this;
                }
                String[] copy = attrs.clone();
                copy[i + 1] = value;
                return new Element(name, namespace, copy, children);
            }
        }
        if (value == null) {
            return this;
        }
        String[] copy = Arrays.copyOf(attrs, attrs.length + 2);
        copy[attrs.length] = attrName;
        copy[attrs.length + 1] = value;
        return new Element(name, namespace, copy, children);
    }

    public Element withChildren(List<? extends Node> newChildren) {
        return new Element(name, namespace, attrs, List.copyOf(newChildren));
    }

    public Element withChild(Node child) {
        List<Node> copy = new ArrayList<>(children.size() + 1);
        copy.addAll(children);
        copy.add(child);
        return new Element(name, namespace, attrs, List.copyOf(copy));
    }

    public Element withoutChildren(String childName, String childNamespace) {
        return withoutChildren(e -> e.is(childName, childNamespace));
    }

    /** Without the child elements {@code which} matches; this element itself when there are none. */
    public Element withoutChildren(Predicate<Element> which) {
        List<Node> copy = new ArrayList<>(children.size());
        for (Node n : children) {
            if (!(n instanceof Element e && which.test(e))) {
                copy.add(n);
            }
        }
        return copy.size() == children.size() ? this : new Element(name, namespace, attrs, List.copyOf(copy));
    }

    /** A copy in another namespace (children keep theirs): used to map jabber:server and
     *  component stanzas onto jabber:client. */
    public Element withNamespace(String newNamespace) {
        return newNamespace.equals(namespace) ? this : new Element(name, newNamespace, attrs, children);
    }

    /** Serialises with an explicit xmlns on this element. */
    public String toXml() {
        StringBuilder sb = new StringBuilder(128);
        writeTo(sb, null);
        return sb.toString();
    }

    /** Serialises as a child of an element whose default namespace is {@code parentNamespace}. */
    public String toXml(String parentNamespace) {
        StringBuilder sb = new StringBuilder(128);
        writeTo(sb, parentNamespace);
        return sb.toString();
    }

    @Override
    public void writeTo(StringBuilder out, String parentNamespace) {
        writeHead(out, parentNamespace);
        writeTail(out);
    }

    /** The start tag without its end: name, namespace declaration, attributes. */
    void writeHead(StringBuilder out, String parentNamespace) {
        out.append('<').append(name);
        if (!namespace.equals(parentNamespace)) {
            out.append(" xmlns=\"");
            Escaping.escapeAttribute(namespace, out);
            out.append('"');
        }
        for (int i = 0; i < attrs.length; i += 2) {
            out.append(' ').append(attrs[i]).append("=\"");
            Escaping.escapeAttribute(attrs[i + 1], out);
            out.append('"');
        }
    }

    /** What follows {@link #writeHead}: the end of the start tag, the children, the end tag. */
    void writeTail(StringBuilder out) {
        if (children.isEmpty()) {
            out.append("/>");
            return;
        }
        out.append('>');
        for (Node n : children) {
            n.writeTo(out, namespace);
        }
        out.append("</").append(name).append('>');
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Element e && name.equals(e.name) && namespace.equals(e.namespace)
                && Arrays.equals(attrs, e.attrs) && children.equals(e.children);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, namespace, Arrays.hashCode(attrs), children);
    }

    @Override
    public String toString() {
        return toXml();
    }

    /** Builds an element; not thread-safe, used once. */
    public static final class Builder {
        private final String name;
        private final String namespace;
        private final List<String> attrs = new ArrayList<>(8);
        private final List<Node> children = new ArrayList<>(4);

        private Builder(String name, String namespace) {
            this.name = name;
            this.namespace = namespace;
        }

        /** Adds an attribute; a null value is skipped, so optional attributes read naturally. */
        public Builder attr(String attrName, String value) {
            if (value != null) {
                attrs.add(attrName);
                attrs.add(value);
            }
            return this;
        }

        public Builder child(Node child) {
            if (child != null) {
                children.add(child);
            }
            return this;
        }

        public Builder children(Collection<? extends Node> nodes) {
            children.addAll(nodes);
            return this;
        }

        /** Adds a child element holding only text, e.g. {@code <body>hi</body>}. */
        public Builder textChild(String childName, String childNamespace, String text) {
            if (text != null) {
                children.add(new Element(childName, childNamespace, NO_ATTRS, List.of(new Text(text))));
            }
            return this;
        }

        public Builder text(String text) {
            if (text != null && !text.isEmpty()) {
                children.add(new Text(text));
            }
            return this;
        }

        public Element build() {
            return new Element(name, namespace,
                    attrs.isEmpty() ? NO_ATTRS : attrs.toArray(NO_ATTRS), List.copyOf(children));
        }
    }
}
