package org.parley.xmpp;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.parley.xml.Element;
import org.parley.xml.Node;
import org.parley.xml.SharedEncoding;

/**
 * An immutable view of a message, presence or IQ stanza (RFC 6120 §8) over its {@link Element},
 * with the addresses parsed once. "Changing" a stanza returns a new one.
 */
public final class Stanza {

    public enum Kind { MESSAGE, PRESENCE, IQ }

    private final Element element;
    private final Kind kind;
    private final Jid to;
    private final Jid from;

    private Stanza(Element element, Kind kind, Jid to, Jid from) {
        this.element = element;
        this.kind = kind;
        this.to = to;
        this.from = from;
    }

    /** True when the element is a jabber:client stanza. */
    public static boolean isStanza(Element e) {
        return Namespaces.CLIENT.equals(e.namespace()) && kindOf(e.name()) != null;
    }

    private static Kind kindOf(String name) {
        return switch (name) {
            case "message" -> Kind.MESSAGE;
            case "presence" -> Kind.PRESENCE;
            case "iq" -> Kind.IQ;
            default -> null;
        };
    }

    /**
     * Wraps an element; throws {@link StanzaErrorException} with {@code jid-malformed} when an
     * address does not parse, and {@link IllegalArgumentException} when it is not a stanza.
     */
    public static Stanza of(Element e) {
        Kind kind = kindOf(e.name());
        if (kind == null) {
            throw new IllegalArgumentException("not a stanza: " + e.name());
        }
        return new Stanza(e, kind, address(e, "to"), address(e, "from"));
    }

    private static Jid address(Element e, String attr) {
        String v = e.attr(attr);
        if (v == null) {
            return null;
        }
        try {
            return Jid.of(v);
        } catch (JidFormatException ex) {
            throw new StanzaErrorException(StanzaError.Condition.JID_MALFORMED, "'" + attr + "' is not a valid JID");
        }
    }

    public static Stanza message(Jid from, Jid to, String type, Element... payload) {
        return build("message", from, to, type, null, payload);
    }

    public static Stanza presence(Jid from, Jid to, String type, Element... payload) {
        return build("presence", from, to, type, null, payload);
    }

    public static Stanza iq(Jid from, Jid to, String type, String id, Element... payload) {
        return build("iq", from, to, type, id, payload);
    }

    private static Stanza build(String name, Jid from, Jid to, String type, String id, Element... payload) {
        Element.Builder b = Element.builder(name, Namespaces.CLIENT)
                .attr("from", from == null ? null : from.toString())
                .attr("to", to == null ? null : to.toString())
                .attr("type", type)
                .attr("id", id);
        for (Element p : payload) {
            b.child(p);
        }
        return new Stanza(b.build(), kindOf(name), to, from);
    }

    public Element element() {
        return element;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isMessage() {
        return kind == Kind.MESSAGE;
    }

    public boolean isPresence() {
        return kind == Kind.PRESENCE;
    }

    public boolean isIq() {
        return kind == Kind.IQ;
    }

    public Jid to() {
        return to;
    }

    public Jid from() {
        return from;
    }

    /** The 'type' attribute, or null when absent. */
    public String type() {
        return element.attr("type");
    }

    public String id() {
        return element.attr("id");
    }

    public boolean isError() {
        return "error".equals(type());
    }

    /** The IQ's request payload: its one child element other than an error. */
    public Element payload() {
        for (Node n : element.children()) {
            if (n instanceof Element e && !(e.name().equals("error") && e.namespace().equals(Namespaces.CLIENT))) {
                return e;
            }
        }
        return null;
    }

    public Stanza withFrom(Jid newFrom) {
        return new Stanza(element.withAttr("from", newFrom == null ? null : newFrom.toString()), kind, to, newFrom);
    }

    public Stanza withTo(Jid newTo) {
        return new Stanza(element.withAttr("to", newTo == null ? null : newTo.toString()), kind, newTo, from);
    }

    /**
     * The copy of this stanza for {@code to} from {@code shared}, the encoding made of this very
     * element (its template): the one serialisation of a fan-out, and addresses already known, so
     * a room's thousands of copies parse no JID again.
     */
    public Stanza copyTo(SharedEncoding shared, Jid newTo) {
        if (shared.template() != element) {
            throw new IllegalArgumentException("the encoding is not made of this stanza");
        }
        return new Stanza(shared.to(newTo.toString()), kind, newTo, from);
    }

    public Stanza withElement(Element newElement) {
        if (!newElement.name().equals(element.name())) {
            return of(newElement);
        }
        // A hook that adds or strips a child keeps the addresses: parsed again, they cost more
        // than the change itself (two JID parses per hook, several hooks per message).
        Jid newTo = Objects.equals(newElement.attr("to"), element.attr("to")) ? to : address(newElement, "to");
        Jid newFrom = Objects.equals(newElement.attr("from"), element.attr("from")) ? from : address(newElement, "from");
        return new Stanza(newElement, kind, newTo, newFrom);
    }

    /** The error reply to this stanza: addresses swapped, type error, original payload kept. */
    public Stanza errorReply(StanzaError error, Jid by) {
        List<Node> children = new ArrayList<>(element.children().size() + 1);
        for (Node n : element.children()) {
            if (!(n instanceof Element e && e.is("error", Namespaces.CLIENT))) {
                children.add(n);
            }
        }
        children.add(error.toElement(by == null ? null : by.toString()));
        Element.Builder b = Element.builder(element.name(), Namespaces.CLIENT)
                .attr("from", to == null ? null : to.toString())
                .attr("to", from == null ? null : from.toString())
                .attr("type", "error")
                .attr("id", id())
                .children(children);
        return new Stanza(b.build(), kind, from, to);
    }

    /** The result of an IQ: addresses swapped, type result, with an optional payload. */
    public Stanza resultReply(Element payload) {
        Element.Builder b = Element.builder("iq", Namespaces.CLIENT)
                .attr("from", to == null ? null : to.toString())
                .attr("to", from == null ? null : from.toString())
                .attr("type", "result")
                .attr("id", id())
                .child(payload);
        return new Stanza(b.build(), Kind.IQ, from, to);
    }

    /**
     * A summary for log lines: the kind, type, id and addresses, never the payload — a message's
     * body or a password in a registration form must not reach a log through a stanza printed
     * whole. The XML is {@code element().toXml()}.
     */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(96).append(element.name());
        append(sb, "type", type());
        append(sb, "id", id());
        append(sb, "from", from() == null ? null : from().toString());
        append(sb, "to", to() == null ? null : to().toString());
        Element payload = payload();
        if (payload != null && isIq()) {
            append(sb, "payload", "{" + payload.namespace() + "}" + payload.name());
        }
        return sb.toString();
    }

    /** Attribute values are the sender's: bounded and free of line breaks in a log line. */
    private static void append(StringBuilder sb, String name, String value) {
        if (value == null) {
            return;
        }
        sb.append(' ').append(name).append('=');
        int n = Math.min(value.length(), 100);
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            sb.append(Character.isISOControl(c) ? '?' : c);
        }
        if (value.length() > n) {
            sb.append("...");
        }
    }
}
