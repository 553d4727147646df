package org.parley.feature.muc;

import java.util.List;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;

/** The namespaces, status codes and elements of XEP-0045 this service writes. */
final class MucElements {
    static final String MUC = "http://jabber.org/protocol/muc";
    static final String USER = MUC + "#user";
    static final String ADMIN = MUC + "#admin";
    static final String OWNER = MUC + "#owner";

    /** §15.6 status codes. */
    static final int NON_ANONYMOUS = 100;
    static final int SELF = 110;
    static final int CONFIG_CHANGED = 104;
    static final int LOGGED = 170;
    static final int NOT_LOGGED = 171;
    static final int NOW_NON_ANONYMOUS = 172;
    static final int NOW_SEMI_ANONYMOUS = 173;
    static final int CREATED = 201;
    static final int NICK_ASSIGNED = 210;
    static final int NEW_NICK = 303;
    static final int KICKED = 307;
    static final int TECHNICAL_REMOVAL = 333;

    private MucElements() {
    }

    /**
     * {@code <x xmlns='…muc#user'><item affiliation role [jid] [nick]/><status/>…</x>}.
     *
     * @param realJid the occupant's real JID when the recipient may see it, else null
     * @param newNick the new nickname of a nickname change (status 303), else null
     */
    static Element userX(Affiliation affiliation, Role role, Jid realJid, String newNick, List<Integer> statuses,
                         Element extra) {
        Element.Builder x = Element.builder("x", USER).child(Element.builder("item", USER)
                .attr("affiliation", affiliation.xmlValue())
                .attr("role", role.xmlValue())
                .attr("jid", realJid == null ? null : realJid.toString())
                .attr("nick", newNick)
                .build());
        x.child(extra);
        for (int code : statuses) {
            x.child(status(code));
        }
        return x.build();
    }

    static Element status(int code) {
        return Element.builder("status", USER).attr("code", Integer.toString(code)).build();
    }

    /** A message from the room itself carrying only status codes (§10.2.1: configuration changes). */
    static Element statusMessage(Jid room, List<Integer> codes) {
        Element.Builder x = Element.builder("x", USER);
        for (int code : codes) {
            x.child(status(code));
        }
        return Element.builder("message", Namespaces.CLIENT).attr("from", room.toString()).attr("type", "groupchat")
                .child(x.build()).build();
    }

    /** The join marker of a presence, {@code <x xmlns='http://jabber.org/protocol/muc'/>}, or null. */
    static Element joinX(Element presence) {
        return presence.element("x", MUC);
    }

    /** Whether a presence child is the service's to write, not the occupant's to show (muc, muc#user). */
    static boolean ours(Element child) {
        return MUC.equals(child.namespace()) || USER.equals(child.namespace());
    }
}
