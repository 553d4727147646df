package org.parley.feature.mam;

import java.util.List;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.forms.DataForm;
import org.parley.xmpp.forms.Field;
import org.parley.xmpp.forms.Field.Type;

/** Names and small builders of the elements MAM speaks: XEP-0313, with XEP-0431 and XEP-0359. */
final class MamElements {
    static final String NAMESPACE = "urn:xmpp:mam:2";
    static final String EXTENDED = "urn:xmpp:mam:2#extended";
    static final String FULLTEXT = "urn:xmpp:fulltext:0";
    static final String FULLTEXT_FIELD = "{" + FULLTEXT + "}fulltext";

    private MamElements() {
    }

    /** {@code <stanza-id xmlns='urn:xmpp:sid:0' by=... id=.../>}. */
    static Element stanzaId(String by, String id) {
        return Element.builder("stanza-id", Namespaces.STANZA_ID).attr("by", by).attr("id", id).build();
    }

    /** The query form a client asks for with an IQ get (XEP-0313 §5). */
    static Element queryForm() {
        DataForm form = DataForm.of(DataForm.Type.FORM, NAMESPACE, List.of(
                Field.of(Type.JID_SINGLE, "with"),
                Field.of(Type.TEXT_SINGLE, "start"),
                Field.of(Type.TEXT_SINGLE, "end"),
                Field.of(Type.TEXT_SINGLE, "before-id"),
                Field.of(Type.TEXT_SINGLE, "after-id"),
                Field.of(Type.TEXT_MULTI, "ids"),
                Field.of(Type.TEXT_SINGLE, FULLTEXT_FIELD)));
        return Element.builder("query", NAMESPACE).child(form.toElement()).build();
    }

    static Element fin(boolean complete, Element set) {
        return Element.builder("fin", NAMESPACE).attr("complete", Boolean.toString(complete)).child(set).build();
    }
}
