package org.parley.feature.strangers;

import java.util.ArrayList;
import java.util.List;
import org.parley.feature.adhoc.Command;
import org.parley.route.Directory;
import org.parley.route.Router;
import org.parley.session.Session;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.forms.DataForm;
import org.parley.xmpp.forms.Field;

/**
 * The XEP-0050 command through which a user sees who wrote while held back (strangers.policy
 * {@code hold}) and delivers those messages to the resource running it, or discards them.
 * Delivering makes the sender known: their next messages pass (for strangers.conversationTtl).
 */
final class HeldCommand implements Command {
    static final String NODE = "urn:parley:strangers#held";
    static final String FORM_TYPE = "urn:parley:strangers";
    static final String SENDERS = "senders";
    static final String ACTION = "action";

    private final HeldStore store;
    private final Jid server;
    private final Directory directory;
    private final Router router;
    private final Acquaintances acquaintances;

    HeldCommand(HeldStore store, Jid server, Directory directory, Router router, Acquaintances acquaintances) {
        this.store = store;
        this.server = server;
        this.directory = directory;
        this.router = router;
        this.acquaintances = acquaintances;
    }

    @Override
    public String node() {
        return NODE;
    }

    @Override
    public String name() {
        return "Messages from strangers";
    }

    @Override
    public boolean allowed(Jid requester) {
        return requester.local() != null && requester.domain().equals(server.domain());
    }

    /** Null (the command completes at once) when nothing is held. */
    @Override
    public DataForm form(Jid requester) {
        List<HeldStore.Sender> senders = store.senders(requester.local());
        if (senders.isEmpty()) {
            return null;
        }
        List<Field.Option> options = new ArrayList<>();
        for (HeldStore.Sender s : senders) {
            options.add(new Field.Option(s.jid() + " (" + s.count() + (s.count() == 1 ? " message" : " messages")
                    + ", the latest " + s.latest() + ")", s.jid()));
        }
        Field who = new Field(SENDERS, Field.Type.LIST_MULTI, "Senders", null, true, List.of(), options);
        Field action = new Field(ACTION, Field.Type.LIST_SINGLE, "Their messages", null, true, List.of("deliver"),
                List.of(new Field.Option("Deliver them here", "deliver"), new Field.Option("Discard them", "discard")));
        DataForm form = DataForm.of(DataForm.Type.FORM, FORM_TYPE, who, action);
        return new DataForm(form.type(), "Messages from strangers", List.of("People not in your contact list wrote"
                + " to you; their messages are held until you deliver or discard them."), form.fields(),
                form.reported(), form.items());
    }

    @Override
    public Outcome complete(Jid requester, DataForm submitted) {
        if (submitted == null) {
            return Outcome.done("No messages from strangers are held for you.");
        }
        Field chosen = submitted.field(SENDERS);
        List<String> senders = chosen == null ? List.of() : chosen.values();
        String action = submitted.value(ACTION);
        if (!"deliver".equals(action) && !"discard".equals(action)) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "action is deliver or discard");
        }
        String owner = requester.local();
        if ("discard".equals(action)) {
            int n = store.take(owner, senders).size();
            return Outcome.done("Discarded " + n + (n == 1 ? " message." : " messages."));
        }
        Session here = directory.session(requester);
        if (here == null) {
            throw new StanzaErrorException(Condition.ITEM_NOT_FOUND, "this resource is not online");
        }
        List<HeldStore.Held> held = store.take(owner, senders);
        for (String sender : senders) {
            acquaintances.wrote(owner, sender);
        }
        for (HeldStore.Held h : held) {
            Element e = XmlStrings.parse(h.stanzaXml()).withNamespace(Namespaces.CLIENT);
            router.deliver(here, Stanza.of(e.withAttr("to", requester.toString())));
        }
        return Outcome.done("Delivered " + held.size() + (held.size() == 1 ? " message." : " messages."));
    }
}
