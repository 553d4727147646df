package org.parley.feature.mam;

import java.util.List;
import org.parley.xml.Element;

/** Names and small builders of the elements MAM speaks: XEP-0313, XEP-0059, XEP-0004, XEP-0359. */
final class MamElements {
    static final String NAMESPACE = "urn:xmpp:mam:2";
    static final String EXTENDED = "urn:xmpp:mam:2#extended";
    static final String FULLTEXT = "urn:xmpp:fulltext:0";
    static final String FULLTEXT_FIELD = "{" + FULLTEXT + "}fulltext";
    static final String RSM = "http://jabber.org/protocol/rsm";
    static final String DATA = "jabber:x:data";
    static final String FORWARD = "urn:xmpp:forward:0";
    static final String DELAY = "urn:xmpp:delay";
    static final String SID = "urn:xmpp:sid:0";

    private MamElements() {
    }

    /** {@code <stanza-id xmlns='urn:xmpp:sid:0' by=... id=.../>}. */
    static Element stanzaId(String by, String id) {
        return Element.builder("stanza-id", SID).attr("by", by).attr("id", id).build();
    }

    /** The query form a client asks for with an IQ get (XEP-0313 §5). */
    static Element queryForm() {
        return Element.builder("query", NAMESPACE)
                .child(Element.builder("x", DATA).attr("type", "form")
                        .child(field("FORM_TYPE", "hidden", NAMESPACE))
                        .child(field("with", "jid-single", null))
                        .child(field("start", "text-single", null))
                        .child(field("end", "text-single", null))
                        .child(field("before-id", "text-single", null))
                        .child(field("after-id", "text-single", null))
                        .child(field("ids", "text-multi", null))
                        .child(field(FULLTEXT_FIELD, "text-single", null))
                        .build())
                .build();
    }

    private static Element field(String var, String type, String value) {
        return Element.builder("field", DATA).attr("var", var).attr("type", type)
                .textChild("value", DATA, value).build();
    }

    /** {@code <set xmlns='http://jabber.org/protocol/rsm'>} of a result page. */
    static Element rsmSet(String first, String last, Long count) {
        Element.Builder b = Element.builder("set", RSM);
        b.textChild("first", RSM, first);
        b.textChild("last", RSM, last);
        b.textChild("count", RSM, count == null ? null : Long.toString(count));
        return b.build();
    }

    static Element fin(boolean complete, Element set) {
        return Element.builder("fin", NAMESPACE).attr("complete", Boolean.toString(complete)).child(set).build();
    }

    /** The values of a data form field, or an empty list when absent. */
    static List<String> values(Element field) {
        return field.elements("value", DATA).stream().map(Element::text).toList();
    }
}
