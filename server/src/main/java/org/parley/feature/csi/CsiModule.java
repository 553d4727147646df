package org.parley.feature.csi;

import java.util.List;
import org.parley.config.Option;
import org.parley.module.Module;
import org.parley.module.ModuleContext;
import org.parley.route.Phase;
import org.parley.session.ClientStream;
import org.parley.session.Session;
import org.parley.session.SessionKey;
import org.parley.session.SessionListener;
import org.parley.xml.Element;
import org.parley.xml.Node;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StreamError;
import org.parley.xmpp.hints.Hint;

/** XEP-0352: the {@code <active/>}/{@code <inactive/>} nonzas and the DELIVER hook that holds stanzas. */
public final class CsiModule implements Module, SessionListener {
    public static final String NAMESPACE = "urn:xmpp:csi:0";
    private static final SessionKey<Held> HELD = new SessionKey<>("csi.held");

    public static final Option<Integer> MAX_HELD = Option.integer("maxHeld", 100, 1, 1_000_000,
            "stanzas held for an inactive client before they are flushed");

    private int maxHeld;

    @Override
    public String name() {
        return "csi";
    }

    @Override
    public List<Option<?>> options() {
        return List.of(MAX_HELD);
    }

    @Override
    public void start(ModuleContext ctx) {
        maxHeld = ctx.option(MAX_HELD);
        ctx.features().boundStreamFeature(Element.empty("csi", NAMESPACE));
        ctx.nonza(NAMESPACE, this::nonza);
        ctx.hook(Phase.DELIVER, this::deliver);
        ctx.listener(this);
    }

    private void nonza(ClientStream stream, Element e) {
        Session session = stream.session();
        boolean inactive = e.name().equals("inactive");
        if (!inactive && !e.name().equals("active")) {
            stream.close(StreamError.of(StreamError.Condition.UNSUPPORTED_STANZA_TYPE, "unknown CSI element " + e.name()));
            return;
        }
        if (session == null) {
            return; // §5: client state is about a bound session; before binding there is nothing to hold
        }
        Held held = session.get(HELD);
        if (held == null) {
            if (!inactive) {
                return;
            }
            held = new Held();
            session.put(HELD, held);
        }
        send(session, held.state(inactive));
    }

    private Stanza deliver(Stanza s, Session session) {
        Held held = session.get(HELD);
        if (held == null || !held.inactive()) {
            return s;
        }
        List<Stanza> out = held.offer(s, holdable(s), maxHeld);
        if (out == null) {
            return null;
        }
        if (!out.isEmpty() && out.get(out.size() - 1) == s) {
            send(session, out.subList(0, out.size() - 1));
            return s;
        }
        send(session, out); // the limit was reached: everything held goes now, this one included
        return null;
    }

    /** Held stanzas bypass the DELIVER hooks a second time: they already passed them. */
    private static void send(Session session, List<Stanza> stanzas) {
        for (Stanza s : stanzas) {
            session.deliver(s);
        }
    }

    /**
     * What can wait: presence updates (not subscription requests, which need the user), and
     * messages that only carry chat states.
     */
    private static boolean holdable(Stanza s) {
        if (s.isPresence()) {
            return s.type() == null || s.type().equals("unavailable");
        }
        if (!s.isMessage() || "error".equals(s.type())) {
            return false;
        }
        boolean chatState = false;
        for (Node n : s.element().children()) {
            if (n instanceof Element e) {
                if (e.namespace().equals(Namespaces.CHAT_STATES)) {
                    chatState = true;
                } else if (!e.is("thread", Namespaces.CLIENT) && !e.namespace().equals(Hint.NAMESPACE)) {
                    return false;
                }
            }
        }
        return chatState;
    }

    /** A session that ends still gets what was held, or, with stream management, has it handled as undeliverable. */
    @Override
    public void closed(Session session) {
        Held held = session.get(HELD);
        if (held != null) {
            send(session, held.drain());
        }
    }
}
