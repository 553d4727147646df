package org.parley.protocol;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.caps.EntityCapsManager;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jxmpp.jid.Jid;
import org.parley.feature.caps.CapsStore;
import org.parley.feature.caps.SqlCapsStore;
import org.parley.store.sql.Database;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;

/** Smack helpers for PEP scenarios: raw pubsub IQs, notification queues and +notify interest. */
public final class PepClients {
    public static final String PUBSUB = "http://jabber.org/protocol/pubsub";
    public static final String OWNER = PUBSUB + "#owner";
    public static final String EVENT = PUBSUB + "#event";
    public static final String ERRORS = PUBSUB + "#errors";

    private PepClients() {
    }

    /** An IQ with a hand-written {@code <pubsub/>} child, for what Smack 4.4's pubsub API cannot say (publish-options). */
    public static IQ pubsub(IQ.Type type, String namespace, Jid to, String innerXml) {
        IQ iq = new IQ("pubsub", namespace) {
            @Override
            protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
                xml.rightAngleBracket();
                xml.append(innerXml);
                return xml;
            }
        };
        iq.setType(type);
        iq.setTo(to);
        return iq;
    }

    /** Sends and returns the result as Parley's own element tree; errors throw {@link XMPPErrorException}. */
    public static Element send(XMPPConnection c, IQ iq) throws Exception {
        Stanza result = c.createStanzaCollectorAndSend(iq).nextResultOrThrow();
        return XmlStrings.parse(result.toXML().toString());
    }

    public static Element publish(XMPPConnection c, String node, String id, String payload, String options) throws Exception {
        String item = "<item" + (id == null ? "" : " id='" + id + "'") + ">" + payload + "</item>";
        return send(c, pubsub(IQ.Type.set, PUBSUB, null,
                "<publish node='" + node + "'>" + item + "</publish>" + (options == null ? "" : publishOptions(options))));
    }

    /** {@code fields} as var=value pairs separated by ';'. */
    public static String publishOptions(String fields) {
        return "<publish-options>" + form(PUBSUB + "#publish-options", fields) + "</publish-options>";
    }

    public static String form(String formType, String fields) {
        StringBuilder sb = new StringBuilder("<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>")
                .append(formType).append("</value></field>");
        for (String f : fields.split(";")) {
            int eq = f.indexOf('=');
            sb.append("<field var='").append(f, 0, eq).append("'><value>").append(f.substring(eq + 1)).append("</value></field>");
        }
        return sb.append("</x>").toString();
    }

    public static Element items(XMPPConnection c, Jid owner, String node, String extra) throws Exception {
        return send(c, pubsub(IQ.Type.get, PUBSUB, owner, "<items node='" + node + "'" + extra + "</items>"))
                .element("pubsub", PUBSUB).element("items", PUBSUB);
    }

    /** The ids of the items of a pubsub result or event {@code <items/>}. */
    public static java.util.List<String> ids(Element items) {
        return items.elements().stream().filter(e -> e.name().equals("item")).map(e -> e.attr("id")).toList();
    }

    public static void configure(XMPPConnection c, String node, String fields) throws Exception {
        send(c, pubsub(IQ.Type.set, OWNER, null,
                "<configure node='" + node + "'>" + form(PUBSUB + "#node_config", fields) + "</configure>"));
    }

    /** The pubsub#errors condition of an error, or null. */
    public static String pubsubCondition(XMPPErrorException e) {
        Element error = XmlStrings.parse(e.getStanzaError().toXML().toString());
        Element app = error.elementIn(ERRORS);
        return app == null ? null : app.name();
    }

    /** Every PEP notification the connection receives, as Parley elements ({@code <event/>}'s child). */
    public static BlockingQueue<Element> events(XMPPConnection c) {
        BlockingQueue<Element> q = new LinkedBlockingQueue<>();
        collectEvents(q).accept(c);
        return q;
    }

    /** Before login: collects notifications into {@code q}, so those sent right at login are seen. */
    public static Consumer<XMPPConnection> collectEvents(BlockingQueue<Element> q) {
        return c -> c.addSyncStanzaListener(s -> {
            Element m = XmlStrings.parse(s.toXML().toString());
            q.add(m.element("event", EVENT).elements().get(0).withAttr("from", s.getFrom().toString()));
        }, s -> s instanceof Message && s.hasExtension("event", EVENT));
    }

    /** The next notification with a child of this name (earlier ones of other kinds are skipped). */
    public static Element nextWith(BlockingQueue<Element> q, String child) throws InterruptedException {
        while (true) {
            Element e = ImClients.next(q);
            // Smack re-serialises a parsed retract in the pubsub namespace, so match by name.
            if (e.elements().stream().anyMatch(c -> c.name().equals(child))) {
                return e;
            }
        }
    }

    /** Before login: the resource asks for notifications of these nodes in its caps (XEP-0163 §4.2). */
    public static Consumer<XMPPTCPConnection> interestedIn(String... nodes) {
        return c -> {
            ServiceDiscoveryManager disco = ServiceDiscoveryManager.getInstanceFor(c);
            for (String n : nodes) {
                disco.addFeature(n + "+notify");
            }
            // Smack 4.4 renews its caps 25 ms after a feature change; a login inside that window
            // sends the old ver and never re-sends presence, so the server would never see +notify.
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    /** Waits until the server verified the connection's current caps. */
    public static void awaitCapsKnown(Database database, XMPPConnection c) throws InterruptedException {
        CapsStore caps = new SqlCapsStore(database);
        // Smack computes its caps on a timer after the login: on a loaded machine they may not
        // exist yet (this read null and failed the test with a NullPointerException).
        EntityCapsManager manager = EntityCapsManager.getInstanceFor(c);
        ImClients.eventually("Smack computed its caps", () -> manager.getCapsVersionAndHash() != null);
        String ver = manager.getCapsVersionAndHash().version;
        ImClients.eventually("the server knows caps " + ver, () -> caps.features("sha-1", ver).isPresent());
        Thread.sleep(50); // the listeners run right after the store write
    }
}
