package org.parley.feature.adhoc;

import org.parley.xml.Element;
import org.parley.xmpp.StanzaError;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.forms.DataForm;

/**
 * The {@code <command xmlns='http://jabber.org/protocol/commands'/>} element (XEP-0050 §3): a
 * request (node, action, sessionid, submitted form) or an answer (status, actions, note, form).
 */
public record AdHocCommand(String node, String sessionId, String action, String status, DataForm form, String note,
                           boolean offerComplete) {
    public static final String NAMESPACE = "http://jabber.org/protocol/commands";
    public static final String ELEMENT = "command";

    /** A request; {@code bad-request} without a node. */
    public static AdHocCommand from(Element e) {
        if (!e.is(ELEMENT, NAMESPACE) || e.attr("node") == null) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "a command names its node");
        }
        Element x = e.element(DataForm.ELEMENT, DataForm.NAMESPACE);
        String action = e.attr("action") == null ? "execute" : e.attr("action");
        return new AdHocCommand(e.attr("node"), e.attr("sessionid"), action, null, x == null ? null : DataForm.from(x),
                null, false);
    }

    /** §4.6: {@code bad-request} with one of the commands' conditions (bad-action, bad-sessionid, bad-payload...). */
    static StanzaErrorException error(Condition condition, String specific, String text) {
        return new StanzaErrorException(StanzaError.of(condition, text).withApplication(Element.empty(specific, NAMESPACE)));
    }

    public Element toElement() {
        Element.Builder b = Element.builder(ELEMENT, NAMESPACE).attr("node", node).attr("sessionid", sessionId)
                .attr("status", status).attr("action", status == null ? action : null);
        if (offerComplete) {
            b.child(Element.builder("actions", NAMESPACE).attr("execute", "complete")
                    .child(Element.empty("complete", NAMESPACE)).build());
        }
        if (note != null) {
            b.child(Element.builder("note", NAMESPACE).attr("type", "info").text(note).build());
        }
        if (form != null) {
            b.child(form.toElement());
        }
        return b.build();
    }
}
