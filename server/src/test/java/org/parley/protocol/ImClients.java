package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.packet.RosterPacket;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.store.RosterItem;
import org.parley.store.Subscription;
import org.parley.testing.ServerExtension;
import org.parley.testing.TestServer;

/**
 * Smack clients set up the way the RFC 6121 scenarios need them: whether the resource asks
 * for the roster and sends initial presence is chosen before login, and subscription requests
 * are never answered by Smack on the user's behalf.
 */
final class ImClients {
    static final long WAIT_SECONDS = 5;

    private final ServerExtension server;

    /** Usable as a static field next to {@code server}: the server is looked up only when a client logs in. */
    ImClients(ServerExtension server) {
        this.server = server;
    }

    /** Creates accounts whose password is the name followed by "-pw". */
    void users(String... names) {
        for (String n : names) {
            server.createUser(n, n + "-pw");
        }
    }

    /** An interested, available resource: fetches the roster, then sends initial presence. */
    XMPPTCPConnection online(String user, String resource) throws Exception {
        return login(user, resource, true, true);
    }

    XMPPTCPConnection login(String user, String resource, boolean fetchRoster, boolean sendPresence)
            throws Exception {
        return login(user, resource, fetchRoster, sendPresence, c -> { });
    }

    /** {@code beforeLogin} sees the connection before anything can arrive, to add listeners. */
    XMPPTCPConnection login(String user, String resource, boolean fetchRoster, boolean sendPresence,
                            Consumer<XMPPTCPConnection> beforeLogin) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(server.clients().builder()
                .setUsernameAndPassword(user, user + "-pw")
                .setResource(resource)
                .setSendPresence(sendPresence)
                .build());
        c.setReplyTimeout(5000);
        c.connect();
        Roster roster = Roster.getInstanceFor(c);
        roster.setSubscriptionMode(Roster.SubscriptionMode.manual);
        roster.setRosterLoadedAtLogin(fetchRoster);
        beforeLogin.accept(c);
        c.login();
        if (fetchRoster) {
            roster.reloadAndWait();
        }
        return c;
    }

    /** Puts a contact straight into the store, for scenarios that start from an existing subscription. */
    void relate(String owner, String contact, Subscription subscription) {
        server.stores().roster().put(owner,
                RosterItem.of(contact + "@" + TestServer.DOMAIN).withSubscription(subscription));
    }

    /** Accounts for both users, who already see each other's presence: the usual start of an RFC 6121 §4 scenario. */
    void contacts(String a, String b) {
        users(a, b);
        mutual(a, b);
    }

    /** Both users see each other's presence (subscription 'both' on both rosters). */
    void mutual(String a, String b) {
        relate(a, b, Subscription.BOTH);
        relate(b, a, Subscription.BOTH);
    }

    static BareJid bare(String user) {
        try {
            return JidCreate.bareFrom(user + "@" + TestServer.DOMAIN);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Every presence the connection receives that matches. */
    static BlockingQueue<Presence> presences(XMPPConnection c, Predicate<Presence> filter) {
        BlockingQueue<Presence> q = new LinkedBlockingQueue<>();
        c.addSyncStanzaListener(s -> q.add((Presence) s), s -> s instanceof Presence p && filter.test(p));
        return q;
    }

    static BlockingQueue<Presence> presencesFrom(XMPPConnection c, String user) {
        return presences(c, p -> p.getFrom() != null && p.getFrom().asBareJid().equals(bare(user)));
    }

    /** Presences from exactly this full JID (a bare-JID probe answer from before login is not one). */
    static BlockingQueue<Presence> presencesFromJid(XMPPConnection c, String fullJid) {
        return presences(c, p -> p.getFrom() != null && p.getFrom().toString().equals(fullJid));
    }

    /** Before login: collects into {@code q} the presences that arrive from {@code user}. */
    static Consumer<XMPPTCPConnection> collecting(String user, BlockingQueue<Presence> q) {
        return c -> c.addSyncStanzaListener(s -> q.add((Presence) s), s -> s instanceof Presence p
                && p.getFrom() != null && p.getFrom().asBareJid().equals(bare(user)));
    }

    /** Before login: answers subscription requests with {@code listener}. */
    static Consumer<XMPPTCPConnection> answering(org.jivesoftware.smack.roster.SubscribeListener listener) {
        return c -> Roster.getInstanceFor(c).addSubscribeListener(listener);
    }

    static BlockingQueue<Message> messages(XMPPConnection c) {
        BlockingQueue<Message> q = new LinkedBlockingQueue<>();
        c.addSyncStanzaListener(s -> q.add((Message) s), s -> s instanceof Message m && m.getBody() != null);
        return q;
    }

    /**
     * Takes over roster pushes on this connection and records them raw (Smack hides IQ requests
     * from stanza listeners), answering each with a result as RFC 6121 §2.1.6 asks.
     */
    static BlockingQueue<RosterPacket> pushes(XMPPConnection c) {
        BlockingQueue<RosterPacket> q = new LinkedBlockingQueue<>();
        c.registerIQRequestHandler(new AbstractIqRequestHandler(RosterPacket.ELEMENT, RosterPacket.NAMESPACE,
                IQ.Type.set, IQRequestHandler.Mode.sync) {
            @Override
            public IQ handleIQRequest(IQ iq) {
                q.add((RosterPacket) iq);
                return IQ.createResultIQ(iq);
            }
        });
        return q;
    }

    static <T> T next(BlockingQueue<T> q) throws InterruptedException {
        T t = q.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(t).as("expected stanza within %ss", WAIT_SECONDS).isNotNull();
        return t;
    }

    /** Nothing more arrives within a short grace period. */
    static <T> void none(BlockingQueue<T> q) throws InterruptedException {
        assertThat(q.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    /** An IQ with hand-written child XML, for requests Smack's own IQs cannot express (or it has none for). */
    static IQ rawIq(IQ.Type type, String element, String namespace, String innerXml) {
        return rawIq(type, element, namespace, null, "", innerXml);
    }

    /** The same, to {@code to} (null: the own account), with {@code attrs} (" name='value'…") on the child. */
    static IQ rawIq(IQ.Type type, String element, String namespace, org.jxmpp.jid.Jid to, String attrs, String innerXml) {
        IQ iq = new IQ(element, namespace) {
            @Override
            protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
                xml.append(attrs);
                if (innerXml.isEmpty()) {
                    xml.setEmptyElement();
                } else {
                    xml.rightAngleBracket();
                    xml.append(innerXml);
                }
                return xml;
            }
        };
        iq.setType(type);
        iq.setTo(to);
        return iq;
    }

    /** A roster get or set with hand-written item XML, for inputs Smack's RosterPacket cannot express. */
    static IQ rosterIq(IQ.Type type, String itemsXml) {
        IQ iq = new IQ(RosterPacket.ELEMENT, RosterPacket.NAMESPACE) {
            @Override
            protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
                if (itemsXml.isEmpty()) {
                    xml.setEmptyElement();
                } else {
                    xml.rightAngleBracket();
                    xml.append(itemsXml);
                }
                return xml;
            }
        };
        iq.setType(type);
        return iq;
    }

    static void closeAll(XMPPConnection... cs) {
        for (XMPPConnection c : cs) {
            if (c != null && c.isConnected()) {
                ((XMPPTCPConnection) c).disconnect();
            }
        }
    }
}
