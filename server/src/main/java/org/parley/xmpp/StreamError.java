package org.parley.xmpp;

import java.util.Locale;
import org.parley.xml.Element;
import org.parley.xml.XmlStreamException;

/** A stream error (RFC 6120 §4.9): the condition and an optional text; it ends the stream. */
public record StreamError(Condition condition, String text) {

    public enum Condition {
        BAD_FORMAT, BAD_NAMESPACE_PREFIX, CONFLICT, CONNECTION_TIMEOUT, HOST_GONE, HOST_UNKNOWN,
        IMPROPER_ADDRESSING, INTERNAL_SERVER_ERROR, INVALID_FROM, INVALID_NAMESPACE, INVALID_XML,
        NOT_AUTHORIZED, NOT_WELL_FORMED, POLICY_VIOLATION, REMOTE_CONNECTION_FAILED, RESET,
        RESOURCE_CONSTRAINT, RESTRICTED_XML, SEE_OTHER_HOST, SYSTEM_SHUTDOWN, UNDEFINED_CONDITION,
        UNSUPPORTED_ENCODING, UNSUPPORTED_FEATURE, UNSUPPORTED_STANZA_TYPE, UNSUPPORTED_VERSION;

        public String elementName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public static StreamError of(Condition condition) {
        return new StreamError(condition, null);
    }

    /** The stream error RFC 6120 §4.9.3 names for a failure of the incoming XML stream. */
    public static StreamError of(XmlStreamException x) {
        Condition condition = switch (x.kind()) {
            case NOT_WELL_FORMED -> Condition.NOT_WELL_FORMED;
            case RESTRICTED_XML -> Condition.RESTRICTED_XML;
            case POLICY_VIOLATION -> Condition.POLICY_VIOLATION;
            case INVALID_NAMESPACE -> Condition.INVALID_NAMESPACE;
        };
        return of(condition, x.getMessage());
    }

    public static StreamError of(Condition condition, String text) {
        return new StreamError(condition, text);
    }

    /** The {@code <stream:error/>} element. */
    public Element toElement() {
        return Element.builder("error", Namespaces.STREAMS)
                .child(Element.empty(condition.elementName(), Namespaces.STREAM_ERRORS))
                .child(text == null ? null : Element.builder("text", Namespaces.STREAM_ERRORS)
                        .attr("xml:lang", "en").text(text).build())
                .build();
    }

    /** Serialised with the {@code stream:} prefix the stream header declared. */
    public String toXml() {
        StringBuilder sb = new StringBuilder("<stream:error><");
        sb.append(condition.elementName()).append(" xmlns='").append(Namespaces.STREAM_ERRORS).append("'/>");
        if (text != null) {
            sb.append("<text xmlns='").append(Namespaces.STREAM_ERRORS).append("' xml:lang='en'>");
            org.parley.xml.Escaping.escapeText(text, sb);
            sb.append("</text>");
        }
        return sb.append("</stream:error>").toString();
    }
}
