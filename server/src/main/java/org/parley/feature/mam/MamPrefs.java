package org.parley.feature.mam;

import java.util.LinkedHashSet;
import java.util.Set;
import org.parley.route.IqRequest;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/** XEP-0313 §6: reading and replacing a user's archiving preferences. */
final class MamPrefs {
    private final ArchivePolicy policy;

    MamPrefs(ArchivePolicy policy) {
        this.policy = policy;
    }

    Element get(IqRequest r) {
        MamQueries.requireSelf(r);
        return toElement(policy.prefs(r.from().local()));
    }

    Element set(IqRequest r) {
        MamQueries.requireSelf(r);
        Element p = r.payload();
        String mode = p.attr("default");
        if (mode == null || !(mode.equals("always") || mode.equals("never") || mode.equals("roster"))) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "default must be always, never or roster");
        }
        ArchivePrefs prefs = new ArchivePrefs(mode, jids(p.element("always", MamElements.NAMESPACE)),
                jids(p.element("never", MamElements.NAMESPACE)));
        policy.setPrefs(r.from().local(), prefs);
        return toElement(prefs);
    }

    private static Set<String> jids(Element list) {
        Set<String> out = new LinkedHashSet<>();
        if (list == null) {
            return out;
        }
        for (Element j : list.elements("jid", MamElements.NAMESPACE)) {
            Jid jid = Jid.parseOrNull(j.text().trim());
            if (jid == null) {
                throw new StanzaErrorException(Condition.JID_MALFORMED, "not a JID: " + j.text());
            }
            out.add(jid.bare().toString());
        }
        return out;
    }

    static Element toElement(ArchivePrefs prefs) {
        return Element.builder("prefs", MamElements.NAMESPACE)
                .attr("default", prefs.defaultMode())
                .child(list("always", prefs.always()))
                .child(list("never", prefs.never()))
                .build();
    }

    private static Element list(String name, Set<String> jids) {
        Element.Builder b = Element.builder(name, MamElements.NAMESPACE);
        jids.stream().sorted().forEach(j -> b.textChild("jid", MamElements.NAMESPACE, j));
        return b.build();
    }
}
