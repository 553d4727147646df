package org.parley.feature.muc;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import org.parley.xml.Element;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/**
 * What history a joining occupant asks for (XEP-0045 §7.2.14): the {@code <history/>} of its
 * join presence; each limit null when not given.
 */
record HistoryRequest(Integer maxChars, Integer maxStanzas, Integer seconds, Instant since) {
    static final String ELEMENT = "history";
    static final HistoryRequest ALL = new HistoryRequest(null, null, null, null);

    /** Reads the {@code <history/>} inside a join's {@code <x xmlns='http://jabber.org/protocol/muc'/>}. */
    static HistoryRequest from(Element x) {
        Element h = x == null ? null : x.element(ELEMENT, MucElements.MUC);
        if (h == null) {
            return ALL;
        }
        Instant since = null;
        if (h.attr("since") != null) {
            try {
                since = OffsetDateTime.parse(h.attr("since")).toInstant();
            } catch (DateTimeParseException e) {
                throw new StanzaErrorException(Condition.BAD_REQUEST, "'since' must be an XEP-0082 DateTime");
            }
        }
        return new HistoryRequest(number(h, "maxchars"), number(h, "maxstanzas"), number(h, "seconds"), since);
    }

    private static Integer number(Element h, String attr) {
        String v = h.attr(attr);
        if (v == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new StanzaErrorException(Condition.BAD_REQUEST, "'" + attr + "' must be a non-negative integer");
    }
}
