package org.parley.feature.blocking;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.JidFormatException;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/**
 * The {@code <blocklist/>}, {@code <block/>} and {@code <unblock/>} elements (XEP-0191 §3), each a
 * list of {@code <item jid='...'/>}.
 */
public record BlockingCommand(String element, List<String> jids) {
    public static final String NAMESPACE = "urn:xmpp:blocking";
    public static final String ERRORS_NAMESPACE = "urn:xmpp:blocking:errors";
    public static final String BLOCKLIST = "blocklist";
    public static final String BLOCK = "block";
    public static final String UNBLOCK = "unblock";

    public BlockingCommand {
        jids = List.copyOf(jids);
    }

    /** Reads a request; every JID is normalised, a malformed one is {@code jid-malformed}. */
    public static BlockingCommand from(Element e) {
        Set<String> jids = new LinkedHashSet<>();
        for (Element item : e.elements("item", NAMESPACE)) {
            String jid = item.attr("jid");
            if (jid == null) {
                throw new StanzaErrorException(Condition.BAD_REQUEST, "an item needs a 'jid'");
            }
            try {
                jids.add(Jid.of(jid).toString());
            } catch (JidFormatException ex) {
                throw new StanzaErrorException(Condition.JID_MALFORMED, "not a valid JID: " + jid);
            }
        }
        return new BlockingCommand(e.name(), new ArrayList<>(jids));
    }

    public Element toElement() {
        Element.Builder b = Element.builder(element, NAMESPACE);
        for (String jid : jids) {
            b.child(Element.builder("item", NAMESPACE).attr("jid", jid).build());
        }
        return b.build();
    }

    /** The application condition that goes beside {@code <not-acceptable/>} (§3.3). */
    static Element blockedCondition() {
        return Element.empty("blocked", ERRORS_NAMESPACE);
    }
}
