package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.iqprivate.PrivateDataManager;
import org.jivesoftware.smackx.iqprivate.packet.DefaultPrivateData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.feature.privatexml.PrivateStore;
import org.parley.feature.privatexml.SqlPrivateStore;
import org.parley.testing.MessageInbox;
import org.parley.testing.ServerExtension;
import org.parley.xml.Element;

/** XEP-0049: an account keeps XML fragments on the server, its own and bounded. */
class PrivateStorageTest {
    /** Small limits, so that a test reaches them with a few fragments. */
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of(
            "PARLEY_PRIVATE_MAX_ITEM_BYTES", "1024", "PARLEY_PRIVATE_MAX_BYTES_PER_USER", "3000"));

    private static DefaultPrivateData prefs(String namespace, String nick) {
        DefaultPrivateData d = new DefaultPrivateData("prefs", namespace);
        d.setValue("defaultnick", nick);
        return d;
    }

    private static String nick(XMPPConnection c, String namespace) throws Exception {
        return ((DefaultPrivateData) PrivateDataManager.getInstanceFor(c).getPrivateData("prefs", namespace))
                .getValue("defaultnick");
    }

    /** A {@code jabber:iq:private} IQ with hand-written content, sent to {@code to} (null: the own account). */
    static IQ query(IQ.Type type, Jid to, String innerXml) {
        return ImClients.rawIq(type, "query", "jabber:iq:private", to, "", innerXml);
    }

    private static StanzaError.Condition refused(XMPPConnection c, IQ iq) {
        return catchThrowableOfType(XMPPErrorException.class,
                () -> c.createStanzaCollectorAndSend(iq).nextResultOrThrow()).getStanzaError().getCondition();
    }

    private static String fill(int chars) {
        return "x".repeat(chars);
    }

    @Test
    void aFragmentIsStoredAndReadBackAndReplaced() throws Exception {
        XMPPTCPConnection c = server.login("pv-store");
        try {
            PrivateDataManager manager = PrivateDataManager.getInstanceFor(c);
            manager.setPrivateData(prefs("exodus:prefs", "Hamlet"));
            manager.setPrivateData(prefs("other:prefs", "Ophelia"));

            assertThat(nick(c, "exodus:prefs")).isEqualTo("Hamlet");
            assertThat(nick(c, "other:prefs")).isEqualTo("Ophelia");

            manager.setPrivateData(prefs("exodus:prefs", "Macbeth"));
            assertThat(nick(c, "exodus:prefs")).isEqualTo("Macbeth");
            assertThat(nick(c, "other:prefs")).isEqualTo("Ophelia");
        } finally {
            c.disconnect();
        }
    }

    @Test
    void severalFragmentsInOneSetAreEachStored() throws Exception {
        XMPPTCPConnection c = server.login("pv-several");
        try {
            c.createStanzaCollectorAndSend(query(IQ.Type.set, null,
                    "<prefs xmlns='a:prefs'><defaultnick>A</defaultnick></prefs>"
                            + "<prefs xmlns='b:prefs'><defaultnick>B</defaultnick></prefs>")).nextResultOrThrow();

            assertThat(nick(c, "a:prefs")).isEqualTo("A");
            assertThat(nick(c, "b:prefs")).isEqualTo("B");
        } finally {
            c.disconnect();
        }
    }

    @Test
    void whatWasNeverStoredComesBackEmpty() throws Exception {
        XMPPTCPConnection c = server.login("pv-empty");
        try {
            Element result = PepClients.send(c, query(IQ.Type.get, null, "<roster xmlns='roster:delimiter'/>"));

            Element query = result.element("query", "jabber:iq:private");
            assertThat(query.elements()).hasSize(1);
            assertThat(query.elements().get(0).is("roster", "roster:delimiter")).isTrue();
            assertThat(query.elements().get(0).elements()).isEmpty();
            assertThat(query.elements().get(0).text()).isEmpty();
        } finally {
            c.disconnect();
        }
    }

    @Test
    void reservedNamespacesAndEmptyQueriesAreNotAcceptable() throws Exception {
        XMPPTCPConnection c = server.login("pv-reserved");
        try {
            assertThat(refused(c, query(IQ.Type.set, null, "<vCard xmlns='vcard-temp'><FN>Hamlet</FN></vCard>")))
                    .isEqualTo(StanzaError.Condition.not_acceptable);
            assertThat(refused(c, query(IQ.Type.set, null, "<query xmlns='jabber:iq:roster'/>")))
                    .isEqualTo(StanzaError.Condition.not_acceptable);
            assertThat(refused(c, query(IQ.Type.get, null, "<x xmlns='http://jabber.org/protocol/muc'/>")))
                    .isEqualTo(StanzaError.Condition.not_acceptable);
            assertThat(refused(c, query(IQ.Type.set, null, ""))).isEqualTo(StanzaError.Condition.not_acceptable);
            assertThat(refused(c, query(IQ.Type.get, null, "<a xmlns='a:ns'/><b xmlns='b:ns'/>")))
                    .isEqualTo(StanzaError.Condition.bad_request);
        } finally {
            c.disconnect();
        }
    }

    @Test
    void anotherAccountsPrivateDataIsForbidden() throws Exception {
        XMPPTCPConnection owner = server.login("pv-owner");
        XMPPTCPConnection other = server.login("pv-other");
        try {
            PrivateDataManager.getInstanceFor(owner).setPrivateData(prefs("exodus:prefs", "Hamlet"));
            Jid ownerJid = JidCreate.bareFrom("pv-owner@localhost");

            assertThat(refused(other, query(IQ.Type.get, ownerJid, "<prefs xmlns='exodus:prefs'/>")))
                    .isEqualTo(StanzaError.Condition.forbidden);
            assertThat(refused(other, query(IQ.Type.set, ownerJid,
                    "<prefs xmlns='exodus:prefs'><defaultnick>Macbeth</defaultnick></prefs>")))
                    .isEqualTo(StanzaError.Condition.forbidden);
            assertThat(nick(owner, "exodus:prefs")).isEqualTo("Hamlet");
        } finally {
            owner.disconnect();
            other.disconnect();
        }
    }

    @Test
    void aFragmentOrAnAccountPastItsLimitIsRefusedAndOthersChatOn() throws Exception {
        XMPPTCPConnection abuser = server.login("pv-abuser");
        server.account("pv-alice");
        server.account("pv-bob");
        try (MessageInbox alice = server.inbox("pv-alice", "r");
             MessageInbox bob = server.inbox("pv-bob", "r")) {
            assertThat(refused(abuser, query(IQ.Type.set, null, "<big xmlns='a:ns'>" + fill(1100) + "</big>")))
                    .isEqualTo(StanzaError.Condition.not_acceptable);
            // 3 × ~920 bytes fit in 3000; a fourth does not, and is not stored.
            for (String ns : new String[] {"a:ns", "b:ns", "c:ns"}) {
                abuser.createStanzaCollectorAndSend(query(IQ.Type.set, null,
                        "<big xmlns='" + ns + "'>" + fill(900) + "</big>")).nextResultOrThrow();
            }
            assertThat(refused(abuser, query(IQ.Type.set, null, "<big xmlns='d:ns'>" + fill(900) + "</big>")))
                    .isEqualTo(StanzaError.Condition.policy_violation);
            Element d = PepClients.send(abuser, query(IQ.Type.get, null, "<big xmlns='d:ns'/>"));
            assertThat(d.element("query", "jabber:iq:private").elements().get(0).text()).isEmpty();

            alice.sendChat("pv-bob@localhost", "still here");
            assertThat(bob.next().getBody()).isEqualTo("still here");
            assertThat(abuser.isAuthenticated()).isTrue();
        } finally {
            abuser.disconnect();
        }
    }

    @Test
    void removingTheAccountRemovesItsPrivateData() throws Exception {
        XMPPTCPConnection c = server.login("pv-leaving");
        try {
            PrivateDataManager.getInstanceFor(c).setPrivateData(prefs("exodus:prefs", "Hamlet"));
        } finally {
            c.disconnect();
        }
        PrivateStore store = new SqlPrivateStore(server.database());
        assertThat(store.get("pv-leaving", "exodus:prefs", "prefs")).isPresent();

        server.stores().accounts().delete("pv-leaving");

        assertThat(store.get("pv-leaving", "exodus:prefs", "prefs")).isEmpty();
    }
}
