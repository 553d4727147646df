package org.parley.net;

import com.fasterxml.aalto.AsyncXMLInputFactory;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.parley.xml.Element;
import org.parley.xml.Escaping;
import org.parley.xml.Node;
import org.parley.xml.XmlLimits;
import org.parley.xml.XmlStreamDecoder;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.StreamError;

/**
 * The {@code <body/>} wrapper of XEP-0124 (1.11) as XEP-0206 (1.4) uses it: parsing a request's
 * body with the stream decoder's limits, reading its {@code urn:xmpp:xbosh} attributes, and
 * writing responses and terminal binding errors (§17.2).
 */
final class BoshBody {
    static final String NAMESPACE = "http://jabber.org/protocol/httpbind";
    static final String XBOSH = "urn:xmpp:xbosh";
    static final String CONTENT_TYPE = "text/xml; charset=utf-8";
    /** What the stream decoder parses a body inside of; never sent. */
    private static final byte[] WRAPPER = ("<stream:stream xmlns='" + Namespaces.CLIENT + "' xmlns:stream='"
            + Namespaces.STREAMS + "'>").getBytes(StandardCharsets.UTF_8);

    private BoshBody() {
    }

    /** A request that is no BOSH body: the terminal binding error to answer it with. */
    static final class Malformed extends Exception {
        Malformed(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Parses a request's body: one {@code <body/>} in the BOSH namespace. The bytes are parsed once,
     * by the TCP stream's decoder, with its restrictions (no DTD, no entities) and depth limit; the
     * body as a whole is bounded by the HTTP route's body limit.
     */
    static Element parse(byte[] bytes, int maxDepth, AsyncXMLInputFactory parsers) throws Malformed {
        int start = afterDeclaration(bytes);
        // The route bounds the body's size; the decoder's own count includes what it parses around it.
        XmlStreamDecoder decoder = new XmlStreamDecoder(new XmlLimits(bytes.length + 1024, maxDepth + 1), parsers);
        EmbeddedChannel parser = new EmbeddedChannel(decoder);
        try {
            parser.writeInbound(Unpooled.wrappedBuffer(WRAPPER), Unpooled.wrappedBuffer(bytes, start,
                    bytes.length - start));
            Element body = null;
            for (Object o; (o = parser.readInbound()) != null; ) {
                if (o instanceof Element e) {
                    if (body != null) {
                        throw new Malformed("more than one element");
                    }
                    body = e;
                }
            }
            if (body == null || !decoder.betweenElements()) {
                throw new Malformed("not one whole element");
            }
            if (!body.is("body", NAMESPACE)) {
                throw new Malformed("not a <body/> in " + NAMESPACE);
            }
            return body;
        } catch (RuntimeException e) {
            throw new Malformed("not well-formed: " + e.getMessage());
        } finally {
            parser.finishAndReleaseAll();
        }
    }

    /** Where the body starts after an XML declaration, which some clients send (it cannot follow the wrapper). */
    private static int afterDeclaration(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 100), StandardCharsets.ISO_8859_1);
        if (!head.startsWith("<?xml")) {
            return 0;
        }
        int end = head.indexOf("?>");
        return end < 0 ? 0 : end + 2;
    }

    /** An attribute in the {@code urn:xmpp:xbosh} namespace, whatever prefix the client bound it to. */
    static String xbosh(Element body, String name) {
        for (int i = 0; i < body.attributeCount(); i++) {
            String a = body.attributeName(i);
            if (a.startsWith("xmlns:") && XBOSH.equals(body.attributeValue(i))) {
                String value = body.attr(a.substring("xmlns:".length()) + ":" + name);
                if (value != null) {
                    return value;
                }
            }
        }
        return null;
    }

    /** A number attribute, or {@code fallback} when absent; -1 when it is not a non-negative number. */
    static long number(Element body, String name, long fallback) {
        String v = body.attr(name);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.trim());
            return n < 0 ? -1 : n;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * The payloads of a request: its child elements, each in {@code jabber:client} unless it names
     * another namespace. Many clients leave stanzas unqualified, so they land in the BOSH namespace
     * (XEP-0206 §2 notes it); they are moved to {@code jabber:client} with their unqualified descendants.
     */
    static List<Element> payloads(Element body) {
        List<Element> out = new ArrayList<>(body.elements().size());
        for (Element e : body.elements()) {
            out.add(NAMESPACE.equals(e.namespace()) ? requalified(e) : e);
        }
        return out;
    }

    private static Element requalified(Element e) {
        List<Node> children = new ArrayList<>(e.children().size());
        for (Node n : e.children()) {
            children.add(n instanceof Element c && NAMESPACE.equals(c.namespace()) ? requalified(c) : n);
        }
        return e.withNamespace(Namespaces.CLIENT).withChildren(children);
    }

    /** Appends one payload, declaring its own namespace (stream-level ones with the {@code stream:} prefix). */
    static void render(Element e, StringBuilder out) {
        WebSocketEncoder.render(e, out);
    }

    /** A response {@code <body>} start tag with {@code attributes} (name, value pairs), left open. */
    static StringBuilder open(List<String> attributes) {
        StringBuilder sb = new StringBuilder(256).append("<body xmlns='").append(NAMESPACE).append('\'');
        for (int i = 0; i < attributes.size(); i += 2) {
            sb.append(' ').append(attributes.get(i)).append("='");
            Escaping.escapeAttribute(attributes.get(i + 1), sb);
            sb.append('\'');
        }
        return sb.append('>');
    }

    static String close(StringBuilder body) {
        return body.append("</body>").toString();
    }

    /**
     * A terminal binding error (§17.2), or with a null condition the end of a session the client
     * or server closed cleanly.
     */
    static String terminate(String condition) {
        List<String> attrs = condition == null ? List.of("type", "terminate")
                : List.of("type", "terminate", "condition", condition);
        return close(open(attrs));
    }

    /** XEP-0206 §7: a stream error ends the session as {@code remote-stream-error}, the error inside. */
    static String streamError(StreamError error, CharSequence before) {
        StringBuilder sb = open(List.of("type", "terminate", "condition", "remote-stream-error", "xmlns:stream",
                Namespaces.STREAMS)).append(before);
        render(error.toElement(), sb);
        return close(sb);
    }
}
