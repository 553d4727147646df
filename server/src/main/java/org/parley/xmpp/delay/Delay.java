package org.parley.xmpp.delay;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/**
 * {@code <delay xmlns='urn:xmpp:delay' from='...' stamp='...'>reason</delay>} (XEP-0203 §4).
 *
 * @param stamp  when the stanza was originally sent or first stored
 * @param from   who delayed it (the server for offline storage), null when absent
 * @param reason the natural-language reason, null when absent
 */
public record Delay(Instant stamp, Jid from, String reason) {
    public static final String NAMESPACE = "urn:xmpp:delay";
    public static final String ELEMENT = "delay";

    public Delay {
        if (stamp == null) {
            throw new IllegalArgumentException("a delay has a stamp");
        }
    }

    public Delay(Instant stamp, Jid from) {
        this(stamp, from, null);
    }

    /**
     * Parses a {@code <delay/>}: a stamp that is not an XEP-0082 DateTime, or a 'from' that is not
     * a JID, is a {@code bad-request}.
     */
    public static Delay from(Element e) {
        if (!e.is(ELEMENT, NAMESPACE)) {
            throw bad("not a delay");
        }
        String stamp = e.attr("stamp");
        if (stamp == null) {
            throw bad("a delay needs a 'stamp'");
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(stamp).toInstant();
        } catch (DateTimeParseException ex) {
            throw bad("'stamp' must be an XEP-0082 DateTime");
        }
        String from = e.attr("from");
        Jid jid = from == null ? null : Jid.parseOrNull(from);
        if (from != null && jid == null) {
            throw bad("'from' is not a JID");
        }
        String reason = e.text();
        return new Delay(at, jid, reason.isEmpty() ? null : reason);
    }

    /** The delay {@code stanza} carries, or null when it has none. */
    public static Delay in(Element stanza) {
        Element e = stanza.element(ELEMENT, NAMESPACE);
        return e == null ? null : from(e);
    }

    /** Whether {@code stanza} carries a delay already. */
    public static boolean present(Element stanza) {
        return stanza.element(ELEMENT, NAMESPACE) != null;
    }

    /** XEP-0082 DateTime in UTC, as {@link Instant#toString()} writes it. */
    public Element toElement() {
        return Element.builder(ELEMENT, NAMESPACE)
                .attr("from", from == null ? null : from.toString())
                .attr("stamp", stamp.toString())
                .text(reason)
                .build();
    }

    /** {@code stanza} with this delay in place of any it carried (a client cannot stamp its own). */
    public Element replaceIn(Element stanza) {
        return stanza.withoutChildren(ELEMENT, NAMESPACE).withChild(toElement());
    }

    private static StanzaErrorException bad(String text) {
        return new StanzaErrorException(Condition.BAD_REQUEST, text);
    }
}
