package org.parley.feature.push;

import java.util.ArrayList;
import java.util.List;
import org.parley.xml.Element;
import org.parley.xml.QName;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.forms.DataForm;
import org.parley.xmpp.forms.Field;

/** The elements of XEP-0357 and the pubsub publish that carries a notification (§5). */
final class PushElements {
    static final String NAMESPACE = "urn:xmpp:push:0";
    static final String SUMMARY = "urn:xmpp:push:summary";
    static final QName ENABLE = new QName(NAMESPACE, "enable");
    static final QName DISABLE = new QName(NAMESPACE, "disable");

    private PushElements() {
    }

    /** {@code <enable jid node>} with an optional publish-options form (XEP-0357 §5). */
    record Enable(Jid jid, String node, DataForm publishOptions) {
        static Enable from(Element e) {
            Jid jid = appServer(e);
            String node = e.attr("node");
            if (node == null || node.isEmpty()) {
                throw new StanzaErrorException(Condition.BAD_REQUEST, "'node' is required");
            }
            Element x = e.element(DataForm.ELEMENT, DataForm.NAMESPACE);
            DataForm form = x == null ? null : DataForm.from(x);
            if (form != null && form.type() != DataForm.Type.SUBMIT) {
                throw new StanzaErrorException(Condition.BAD_REQUEST, "publish options are a form of type 'submit'");
            }
            return new Enable(jid, node, form);
        }
    }

    /** {@code <disable jid [node]>} (XEP-0357 §6): without a node, every node of that app server. */
    record Disable(Jid jid, String node) {
        static Disable from(Element e) {
            String node = e.attr("node");
            return new Disable(appServer(e), node == null || node.isEmpty() ? null : node);
        }
    }

    private static Jid appServer(Element e) {
        String v = e.attr("jid");
        Jid jid = v == null ? null : Jid.parseOrNull(v);
        if (v == null) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "'jid' is required");
        }
        if (jid == null) {
            throw new StanzaErrorException(Condition.JID_MALFORMED, "'jid' is not a valid JID");
        }
        return jid;
    }

    /** What a notification says (the urn:xmpp:push:summary form, XEP-0357 §5). */
    record Summary(int messageCount, String lastSender, String lastBody) {
    }

    /**
     * The publish IQ's payload: the summary as the item, the registration's publish options
     * (which carry the app server's secret) beside it, passed on as the client gave them.
     */
    static Element publish(String node, Summary summary, Element publishOptions) {
        List<Field> fields = new ArrayList<>();
        fields.add(Field.of("message-count", Integer.toString(summary.messageCount())));
        if (summary.lastSender() != null) {
            fields.add(Field.of("last-message-sender", summary.lastSender()));
        }
        if (summary.lastBody() != null) {
            fields.add(Field.of("last-message-body", summary.lastBody()));
        }
        Element form = DataForm.of(DataForm.Type.SUBMIT, SUMMARY, fields).toElement();
        Element.Builder pubsub = Element.builder("pubsub", Namespaces.PUBSUB)
                .child(Element.builder("publish", Namespaces.PUBSUB).attr("node", node)
                        .child(Element.builder("item", Namespaces.PUBSUB)
                                .child(Element.builder("notification", NAMESPACE).child(form).build())
                                .build())
                        .build());
        if (publishOptions != null) {
            pubsub.child(Element.builder("publish-options", Namespaces.PUBSUB).child(publishOptions).build());
        }
        return pubsub.build();
    }
}
