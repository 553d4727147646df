package org.parley.feature.roster;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.parley.store.RosterItem;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.JidFormatException;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/** The {@code <query xmlns='jabber:iq:roster'/>} element (RFC 6121 §2.1). */
public final class RosterQuery {
    public static final String NAMESPACE = "jabber:iq:roster";
    public static final String ELEMENT = "query";

    private RosterQuery() {
    }

    /** A query listing these items (a result, or a push of one item). */
    public static Element of(List<RosterItem> items) {
        return of(items, -1);
    }

    /** As {@link #of(List)}, stamped with a roster version (RFC 6121 §2.6) unless it is negative. */
    public static Element of(List<RosterItem> items, long version) {
        Element.Builder q = Element.builder(ELEMENT, NAMESPACE).attr("ver", version < 0 ? null : Long.toString(version));
        for (RosterItem item : items) {
            q.child(item(item));
        }
        return q.build();
    }

    /** A push that removes one item (RFC 6121 §2.5.2). */
    public static Element removal(String jid, long version) {
        return Element.builder(ELEMENT, NAMESPACE).attr("ver", Long.toString(version))
                .child(Element.builder("item", NAMESPACE).attr("jid", jid).attr("subscription", "remove").build())
                .build();
    }

    static Element item(RosterItem item) {
        Element.Builder b = Element.builder("item", NAMESPACE)
                .attr("jid", item.jid())
                .attr("name", item.name())
                .attr("subscription", item.subscription().xmlValue())
                .attr("ask", item.askSubscribe() ? "subscribe" : null)
                .attr("approved", item.approved() ? "true" : null);
        for (String g : item.groups()) {
            b.textChild("group", NAMESPACE, g);
        }
        return b.build();
    }

    /** What a client's roster set asks for: one item, to update or to remove. */
    record Change(Jid jid, String name, List<String> groups, boolean remove) {
    }

    /** Reads a roster set, enforcing RFC 6121 §2.3.3 and §2.1.2.2. */
    static Change change(Element query) {
        List<Element> items = query.elements("item", NAMESPACE);
        if (items.size() != 1) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "a roster set carries exactly one item");
        }
        Element item = items.get(0);
        Jid jid;
        try {
            jid = Jid.of(item.attr("jid") == null ? "" : item.attr("jid"));
        } catch (JidFormatException e) {
            throw new StanzaErrorException(Condition.JID_MALFORMED, "the item's jid is not valid");
        }
        if (!jid.isBare()) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "roster items are bare JIDs");
        }
        boolean remove = "remove".equals(item.attr("subscription"));
        Set<String> groups = new LinkedHashSet<>();
        for (Element g : item.elements("group", NAMESPACE)) {
            String name = g.text();
            if (name.isEmpty()) {
                throw new StanzaErrorException(Condition.NOT_ACCEPTABLE, "empty group name");
            }
            if (!groups.add(name)) {
                throw new StanzaErrorException(Condition.BAD_REQUEST, "duplicate group " + name);
            }
        }
        String name = item.attr("name");
        return new Change(jid, name == null || name.isEmpty() ? null : name, new ArrayList<>(groups), remove);
    }
}
