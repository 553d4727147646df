package org.parley.xml;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An opening {@code <stream:stream>} tag (RFC 6120 §4.7), as parsed from a peer or to be sent.
 *
 * @param namespace       the default namespace declared on the root, e.g. {@code jabber:client};
 *                        empty when none was declared
 * @param streamNamespace the namespace of the root element's own name; valid streams use
 *                        {@link #STREAMS_NAMESPACE}
 * @param localName       the root element's local name, {@code stream} for valid streams
 * @param attributes      the root's attributes in document order, keyed by name ({@code to},
 *                        {@code from}, {@code id}, {@code version}, {@code xml:lang}); namespace
 *                        declarations are not included
 */
public record StreamHeader(String namespace, String streamNamespace, String localName,
                           Map<String, String> attributes) {

    public static final String STREAMS_NAMESPACE = "http://etherx.jabber.org/streams";
    public static final String LANG = "xml:lang";

    private static final Set<String> ORDERED = Set.of("id", "from", "to", "version", LANG);

    public StreamHeader {
        namespace = namespace == null ? "" : namespace;
        streamNamespace = streamNamespace == null ? "" : streamNamespace;
        LinkedHashMap<String, String> copy = new LinkedHashMap<>();
        attributes.forEach((k, v) -> {
            if (v != null) {
                copy.put(k, v);
            }
        });
        attributes = Collections.unmodifiableMap(copy);
    }

    /** A header to send: null attributes are left out. */
    public static StreamHeader of(String namespace, String id, String from, String to, String version,
                                  String lang) {
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("id", id);
        attrs.put("from", from);
        attrs.put("to", to);
        attrs.put("version", version);
        attrs.put(LANG, lang);
        return new StreamHeader(namespace, STREAMS_NAMESPACE, "stream", attrs);
    }

    public String attr(String name) {
        return attributes.get(name);
    }

    public String to() {
        return attributes.get("to");
    }

    public String from() {
        return attributes.get("from");
    }

    public String id() {
        return attributes.get("id");
    }

    public String version() {
        return attributes.get("version");
    }

    public String lang() {
        return attributes.get(LANG);
    }

    /**
     * The XML declaration and opening tag, e.g. {@code <?xml version='1.0'?><stream:stream
     * xmlns="jabber:client" xmlns:stream="http://etherx.jabber.org/streams" id="..." ...>}.
     * Well-known attributes come first in a fixed order so peers' logs read the same every time.
     */
    public String toXml() {
        StringBuilder sb = new StringBuilder(256).append("<?xml version='1.0'?><stream:").append(localName);
        appendAttr(sb, "xmlns", namespace);
        appendAttr(sb, "xmlns:stream", streamNamespace);
        appendAttr(sb, "id", id());
        appendAttr(sb, "from", from());
        appendAttr(sb, "to", to());
        appendAttr(sb, "version", version());
        appendAttr(sb, LANG, lang());
        attributes.forEach((k, v) -> {
            if (!ORDERED.contains(k)) {
                appendAttr(sb, k, v);
            }
        });
        return sb.append('>').toString();
    }

    private static void appendAttr(StringBuilder sb, String name, String value) {
        if (value != null) {
            sb.append(' ').append(name).append("=\"");
            Escaping.escapeAttribute(value, sb);
            sb.append('"');
        }
    }
}
