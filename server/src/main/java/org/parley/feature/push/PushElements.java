package org.parley.feature.push;

import org.parley.xml.Element;
import org.parley.xml.QName;
import org.parley.xmpp.Jid;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/** The elements of XEP-0357 and the pubsub publish that carries a notification (§5). */
final class PushElements {
    static final String NAMESPACE = "urn:xmpp:push:0";
    static final String SUMMARY = "urn:xmpp:push:summary";
    static final String DATA = "jabber:x:data";
    static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    static final QName ENABLE = new QName(NAMESPACE, "enable");
    static final QName DISABLE = new QName(NAMESPACE, "disable");

    private PushElements() {
    }

    /** {@code <enable jid node>} with an optional publish-options form (XEP-0357 §5). */
    record Enable(Jid jid, String node, Element publishOptions) {
        static Enable from(Element e) {
            Jid jid = appServer(e);
            String node = e.attr("node");
            if (node == null || node.isEmpty()) {
                throw new StanzaErrorException(Condition.BAD_REQUEST, "'node' is required");
            }
            Element form = e.element("x", DATA);
            if (form != null && !"submit".equals(form.attr("type"))) {
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
     * (which carry the app server's secret) beside it.
     */
    static Element publish(String node, Summary summary, Element publishOptions) {
        Element.Builder form = Element.builder("x", DATA).attr("type", "submit")
                .child(field("FORM_TYPE", SUMMARY))
                .child(field("message-count", Integer.toString(summary.messageCount())));
        if (summary.lastSender() != null) {
            form.child(field("last-message-sender", summary.lastSender()));
        }
        if (summary.lastBody() != null) {
            form.child(field("last-message-body", summary.lastBody()));
        }
        Element.Builder pubsub = Element.builder("pubsub", PUBSUB)
                .child(Element.builder("publish", PUBSUB).attr("node", node)
                        .child(Element.builder("item", PUBSUB)
                                .child(Element.builder("notification", NAMESPACE).child(form.build()).build())
                                .build())
                        .build());
        if (publishOptions != null) {
            pubsub.child(Element.builder("publish-options", PUBSUB).child(publishOptions).build());
        }
        return pubsub.build();
    }

    private static Element field(String var, String value) {
        return Element.builder("field", DATA).attr("var", var).textChild("value", DATA, value).build();
    }
}
