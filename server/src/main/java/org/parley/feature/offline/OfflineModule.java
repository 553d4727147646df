package org.parley.feature.offline;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.route.Phase;
import org.parley.route.Router;
import org.parley.session.Session;
import org.parley.session.SessionListener;
import org.parley.store.OfflineMessage;
import org.parley.store.OfflineResult;
import org.parley.store.OfflineStore;
import org.parley.xml.Element;
import org.parley.xml.Node;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError;

/** Stores undeliverable messages and delivers them at the next initial presence. */
public final class OfflineModule implements Module, SessionListener {
    public static final String FEATURE = "msgoffline";
    static final String DELAY_NAMESPACE = "urn:xmpp:delay";
    private static final String CHAT_STATES = "http://jabber.org/protocol/chatstates";
    private static final int BATCH = 500;

    private OfflineStore store;
    private Router router;
    private Jid server;
    private int cap;
    private java.time.Clock clock;

    @Override
    public String name() {
        return "offline";
    }

    @Override
    public void start(ModuleContext ctx) {
        store = ctx.stores().offline();
        router = ctx.router();
        server = ctx.serverJid();
        cap = ctx.config().offlineMaxPerUser();
        clock = ctx.clock();
        ctx.hook(Phase.UNDELIVERED, this::undelivered);
        ctx.listener(this);
        ctx.features().serverFeature(FEATURE);
    }

    private Stanza undelivered(Stanza s, Session ignored) {
        String type = s.type() == null ? "normal" : s.type();
        if (!(type.equals("normal") || type.equals("chat")) || !worthKeeping(s.element())) {
            return null; // nothing a user would miss: drop silently as RFC 6121 §8.5.2.1.1 allows
        }
        Element stamped = s.element().withoutChildren("delay", DELAY_NAMESPACE).withChild(
                Element.builder("delay", DELAY_NAMESPACE)
                        .attr("from", server.toString())
                        .attr("stamp", Instant.now(clock).truncatedTo(ChronoUnit.MILLIS).toString())
                        .build());
        OfflineResult result = store.store(s.to().local(), stamped.toXml(), cap);
        if (result == OfflineResult.QUOTA_EXCEEDED) {
            // XEP-0160 §3: a full store answers service-unavailable; the text says why.
            router.bounce(s, StanzaError.of(StanzaError.Condition.SERVICE_UNAVAILABLE,
                    "the recipient's offline storage is full"));
        }
        return null;
    }

    /** Chat-state notifications alone are not worth storing (XEP-0085 §5.6). */
    private static boolean worthKeeping(Element message) {
        for (Node n : message.children()) {
            if (n instanceof Element e && !e.namespace().equals(CHAT_STATES)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void availabilityChanged(Session session, boolean available, boolean initial) {
        if (!initial || session.priority() < 0) {
            return;
        }
        String owner = session.jid().local();
        List<OfflineMessage> batch;
        do {
            batch = store.fetch(owner, BATCH);
            for (OfflineMessage m : batch) {
                Element e = XmlStrings.parse(m.stanzaXml()).withNamespace(Namespaces.CLIENT);
                session.deliver(Stanza.of(e.withAttr("to", session.jid().toString())));
            }
            if (!batch.isEmpty()) {
                store.delete(owner, batch.get(batch.size() - 1).id());
            }
        } while (batch.size() == BATCH);
    }
}
