package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.store.RosterItem;
import org.parley.store.Subscription;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;

/**
 * What a stranger learns about accounts (XEP-0030 §8, XEP-0054 §3.3): nothing that tells an
 * existing account from one that does not exist. Raw sockets, so the whole error a client sees is
 * compared, not only its condition.
 */
class AccountPrivacyTest {
    private static final String INFO = "http://jabber.org/protocol/disco#info";
    private static final String ITEMS = "http://jabber.org/protocol/disco#items";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();

    private static RawStreamClient bound(String user) throws Exception {
        server.account(user);
        return RawStreamClient.loggedIn(server.get(), user, ServerExtension.password(user), "r");
    }

    /** Sends an IQ get and returns the answer to it. */
    private static Element get(RawStreamClient c, String to, String payload) throws Exception {
        String id = "q" + System.nanoTime();
        c.send("<iq type='get' id='" + id + "' to='" + to + "'>" + payload + "</iq>");
        return c.expect(e -> e.is("iq", Namespaces.CLIENT) && id.equals(e.attr("id")), "the answer to " + id);
    }

    /** The error a client sees, without what differs by address alone ('from', the 'by' of the error). */
    private static String error(Element iq, String addressee) {
        assertThat(iq.attr("type")).isEqualTo("error");
        assertThat(iq.attr("from")).isEqualTo(addressee);
        return iq.element("error", Namespaces.CLIENT).toXml().replace(addressee, "ADDRESSEE");
    }

    @Test
    void discoInfoOfAnAccountIsServiceUnavailableToAStrangerExactlyAsForNoAccount() throws Exception {
        server.account("priv-target");
        try (RawStreamClient stranger = bound("priv-stranger")) {
            Element existing = get(stranger, "priv-target@localhost", "<query xmlns='" + INFO + "'/>");
            Element missing = get(stranger, "priv-nobody@localhost", "<query xmlns='" + INFO + "'/>");

            assertThat(RawStreamClient.stanzaErrorCondition(existing)).isEqualTo("service-unavailable");
            assertThat(error(existing, "priv-target@localhost")).isEqualTo(error(missing, "priv-nobody@localhost"));
            // nor does a node query tell them apart
            Element node = get(stranger, "priv-target@localhost", "<query xmlns='" + INFO + "' node='urn:xmpp:avatar:data'/>");
            assertThat(error(node, "priv-target@localhost")).isEqualTo(error(missing, "priv-nobody@localhost"));
        }
    }

    @Test
    void discoInfoOfAnAccountIsAnsweredToTheUserAndToContactsWithASubscription() throws Exception {
        server.account("priv-owner");
        server.account("priv-friend");
        server.account("priv-asked");
        // the friend may see the owner's presence; the owner only asked for the other's
        server.stores().roster().put("priv-owner", RosterItem.of("priv-friend@localhost").withSubscription(Subscription.FROM));
        server.stores().roster().put("priv-owner", RosterItem.of("priv-asked@localhost").withSubscription(Subscription.TO));
        try (RawStreamClient owner = bound("priv-owner");
             RawStreamClient friend = bound("priv-friend");
             RawStreamClient asked = bound("priv-asked")) {
            for (RawStreamClient allowed : new RawStreamClient[] {owner, friend}) {
                Element info = get(allowed, "priv-owner@localhost", "<query xmlns='" + INFO + "'/>");
                assertThat(info.attr("type")).isEqualTo("result");
                Element identity = info.element("query", INFO).element("identity", INFO);
                assertThat(identity.attr("category") + "/" + identity.attr("type")).isEqualTo("account/registered");
            }
            Element refused = get(asked, "priv-owner@localhost", "<query xmlns='" + INFO + "'/>");
            assertThat(RawStreamClient.stanzaErrorCondition(refused)).isEqualTo("service-unavailable");
        }
    }

    @Test
    void discoItemsOfAnAccountThatDoesNotExistAreAnEmptyResult() throws Exception {
        server.account("priv-plain");
        try (RawStreamClient stranger = bound("priv-items")) {
            Element missing = get(stranger, "priv-ghost@localhost", "<query xmlns='" + ITEMS + "'/>");
            Element existing = get(stranger, "priv-plain@localhost", "<query xmlns='" + ITEMS + "'/>");

            assertThat(missing.attr("type")).isEqualTo("result");
            assertThat(missing.attr("from")).isEqualTo("priv-ghost@localhost");
            assertThat(missing.element("query", ITEMS).children()).isEmpty();
            assertThat(existing.element("query", ITEMS).toXml()).isEqualTo(missing.element("query", ITEMS).toXml());
        }
    }

    @Test
    void vCardOfAnAccountWithoutOneIsTheSameErrorAsOfNoAccount() throws Exception {
        server.account("priv-novcard");
        try (RawStreamClient stranger = bound("priv-vcard-asker")) {
            Element existing = get(stranger, "priv-novcard@localhost", "<vCard xmlns='vcard-temp'/>");
            Element missing = get(stranger, "priv-novcard-ghost@localhost", "<vCard xmlns='vcard-temp'/>");

            assertThat(RawStreamClient.stanzaErrorCondition(existing)).isEqualTo("service-unavailable");
            assertThat(error(existing, "priv-novcard@localhost"))
                    .isEqualTo(error(missing, "priv-novcard-ghost@localhost"));
        }
    }

    /** The innocent: a user asking for their own empty vCard still hears item-not-found (§3.1). */
    @Test
    void ownVCardNotYetSetIsItemNotFound() throws Exception {
        try (RawStreamClient self = bound("priv-self")) {
            Element own = get(self, "priv-self@localhost", "<vCard xmlns='vcard-temp'/>");

            assertThat(RawStreamClient.stanzaErrorCondition(own)).isEqualTo("item-not-found");
        }
    }
}
