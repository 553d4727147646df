package org.parley.feature.carbons;

import org.parley.xml.Element;
import org.parley.xml.Node;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.forward.Forwarded;
import org.parley.xmpp.hints.Hint;

/**
 * A carbon copy (XEP-0280 §6, §7): a message from the user's bare JID to one of the user's
 * resources carrying {@code <sent/>} or {@code <received/>} around a forwarded original.
 */
public record Carbon(Direction direction, Forwarded forwarded) {
    public static final String NAMESPACE = "urn:xmpp:carbons:2";
    public static final String PRIVATE = "private";
    private static final String MUC_USER = "http://jabber.org/protocol/muc#user";

    /** Which side of the conversation the copied message was. */
    public enum Direction {
        SENT("sent"), RECEIVED("received");

        public final String element;

        Direction(String element) {
            this.element = element;
        }
    }

    /**
     * The carbon this stanza is, or null. Only the server writes 'from' as a bare JID of the
     * recipient's own account (sessions stamp full JIDs), so a client cannot forge one here.
     */
    public static Carbon from(Stanza s, Jid recipient) {
        if (!s.isMessage() || s.from() == null || !s.from().isBare() || !s.from().sameBare(recipient)) {
            return null;
        }
        for (Direction d : Direction.values()) {
            Element wrapper = s.element().element(d.element, NAMESPACE);
            if (wrapper != null) {
                try {
                    Forwarded forwarded = Forwarded.in(wrapper);
                    return forwarded == null ? null : new Carbon(d, forwarded);
                } catch (StanzaErrorException e) {
                    return null; // not one the server made: every carbon is built by copy()
                }
            }
        }
        return null;
    }

    /** The copy of {@code original} for the resource {@code to}. */
    static Stanza copy(Direction direction, Stanza original, Jid to) {
        Element wrapped = Element.builder(direction.element, NAMESPACE)
                .child(new Forwarded(original.element()).toElement())
                .build();
        return Stanza.message(to.bare(), to, original.type(), wrapped);
    }

    /**
     * §5's suggested rules: chat messages, and normal ones with a body; never errors, groupchat
     * or MUC private messages, nor messages the sender kept out of carbons (§8, XEP-0334).
     */
    static boolean eligible(Stanza s) {
        if (!s.isMessage()) {
            return false;
        }
        Element e = s.element();
        String type = s.type() == null ? "normal" : s.type();
        boolean im = type.equals("chat") || (type.equals("normal") && e.element("body", Namespaces.CLIENT) != null);
        if (!im) {
            return false;
        }
        for (Node n : e.children()) {
            if (n instanceof Element c && (c.namespace().equals(NAMESPACE) || c.namespace().equals(MUC_USER)
                    || Hint.from(c) == Hint.NO_COPY)) {
                return false; // private, or already a carbon, or from a room
            }
        }
        return true;
    }

    static boolean isPrivate(Stanza s) {
        return s.isMessage() && s.element().element(PRIVATE, NAMESPACE) != null;
    }
}
