package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.smackx.disco.packet.DiscoverItems;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.testing.Clients;
import org.parley.testing.ServerExtension;
import org.parley.testing.TestServer;

/** XEP-0030 Service Discovery as a Smack client sees it. */
class DiscoTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();

    private static Jid jid(String s) throws Exception {
        return JidCreate.from(s);
    }

    private static List<String> features(DiscoverInfo info) {
        return info.getFeatures().stream().map(DiscoverInfo.Feature::getVar).toList();
    }

    /** XEP-0163 PEP: announced on accounts only (the server's domain is no pubsub service). */
    private static final List<String> PEP = java.util.stream.Stream.concat(
            java.util.stream.Stream.of("http://jabber.org/protocol/pubsub"),
            java.util.stream.Stream.of("access-open", "access-presence", "access-whitelist", "auto-create",
                    "auto-subscribe", "config-node", "create-nodes", "delete-items", "delete-nodes",
                    "filtered-notifications", "last-published", "manage-affiliations", "modify-affiliations",
                    "persistent-items", "publish", "publish-options", "purge-nodes", "retract-items",
                    "retrieve-default", "retrieve-items").map(f -> "http://jabber.org/protocol/pubsub#" + f)).toList();

    private static String[] with(List<String> more, String... features) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(features), more.stream()).toArray(String[]::new);
    }

    /** The identities other than XEP-0163's pubsub/pep, which accounts have too. */
    private static List<DiscoverInfo.Identity> nonPep(DiscoverInfo info) {
        assertThat(info.hasIdentity("pubsub", "pep")).isTrue();
        return info.getIdentities().stream().filter(i -> !i.getCategory().equals("pubsub")).toList();
    }

    @Test
    void serverInfoListsServerIdentityAndExactlyTheEnabledModulesFeatures() throws Exception {
        XMPPTCPConnection c = server.login("disco-server");
        try {
            DiscoverInfo info = ServiceDiscoveryManager.getInstanceFor(c).discoverInfo(jid("localhost"));

            assertThat(info.getFrom().toString()).isEqualTo("localhost");
            assertThat(info.getIdentities()).singleElement().satisfies(i -> {
                assertThat(i.getCategory()).isEqualTo("server");
                assertThat(i.getType()).isEqualTo("im");
                assertThat(i.getName()).isEqualTo("Parley");
            });
            assertThat(features(info)).containsExactlyInAnyOrder(
                    "http://jabber.org/protocol/disco#info",
                    "http://jabber.org/protocol/disco#items",
                    "jabber:iq:roster", // RFC 6121
                    "jabber:iq:version",
                    "urn:xmpp:ping",
                    "vcard-temp",
                    "jabber:iq:register",
                    "msgoffline",
                    "urn:xmpp:blocking",
                    "urn:xmpp:reporting:1",
                    "jabber:iq:last",
                    "urn:xmpp:carbons:2",
                    "jabber:iq:private",
                    "http://jabber.org/protocol/commands", // XEP-0050, for XEP-0133
                    "urn:xmpp:mam:2", // as on the account: Profanity looks here
                    // only for Smack's XEP-0373 secret key backup check; no pubsub identity or namespace
                    "http://jabber.org/protocol/pubsub#access-whitelist");
        } finally {
            c.disconnect();
        }
    }

    /** How Smack's service discovery sees the server and the account: PEP on the account, MAM on both. */
    @Test
    void smackFindsPepOnTheAccountAndMamOnBothButNoPubSubServiceAtTheDomain() throws Exception {
        XMPPTCPConnection c = server.login("disco-smack");
        try {
            ServiceDiscoveryManager disco = ServiceDiscoveryManager.getInstanceFor(c);

            assertThat(disco.serverSupportsFeature("urn:xmpp:mam:2")).isTrue();
            assertThat(disco.serverSupportsFeature("jabber:iq:roster")).isTrue();
            assertThat(disco.accountSupportsFeatures("urn:xmpp:mam:2", "http://jabber.org/protocol/pubsub",
                    "http://jabber.org/protocol/pubsub#publish")).isTrue();
            assertThat(org.jivesoftware.smackx.pep.PepManager.getInstanceFor(c).isSupported()).isTrue();
            assertThat(disco.serverSupportsFeature("http://jabber.org/protocol/pubsub")).isFalse();
            // Smack looks for a publish-subscribe service among the server and its items: there is none
            assertThat((Object) disco.findService("http://jabber.org/protocol/pubsub", false)).isNull();
        } finally {
            c.disconnect();
        }
    }

    @Test
    void withRegistrationDisabledTheServerDoesNotAnnounceIqRegister(@TempDir Path other) throws Exception {
        try (TestServer closed = TestServer.start(other, Map.of("PARLEY_REGISTRATION_ENABLED", "false"))) {
            closed.createUser("disco-noreg", "pw");
            XMPPTCPConnection c = new Clients(closed).login("disco-noreg", "pw");
            try {
                DiscoverInfo info = ServiceDiscoveryManager.getInstanceFor(c).discoverInfo(jid("localhost"));

                assertThat(features(info)).doesNotContain("jabber:iq:register")
                        .contains("http://jabber.org/protocol/disco#info", "urn:xmpp:ping", "msgoffline");
            } finally {
                c.disconnect();
            }
        }
    }

    @Test
    void ownBareJidIsARegisteredAccount() throws Exception {
        XMPPTCPConnection c = server.login("disco-self");
        try {
            DiscoverInfo info = ServiceDiscoveryManager.getInstanceFor(c).discoverInfo(jid("disco-self@localhost"));

            assertThat(info.getFrom().toString()).isEqualTo("disco-self@localhost");
            assertThat(nonPep(info)).singleElement().satisfies(i -> {
                assertThat(i.getCategory()).isEqualTo("account");
                assertThat(i.getType()).isEqualTo("registered");
            });
            assertThat(features(info)).containsExactlyInAnyOrder(with(PEP,
                    "http://jabber.org/protocol/disco#info",
                    "http://jabber.org/protocol/disco#items",
                    "urn:xmpp:ping",
                    "vcard-temp",
                    "urn:xmpp:pep-vcard-conversion:0", // XEP-0398 §2: on the account
                    "jabber:iq:last",
                    "urn:xmpp:push:0",
                    "urn:xmpp:mam:2",
                    "urn:xmpp:mam:2#extended",
                    "urn:xmpp:fulltext:0",
                    "urn:xmpp:sid:0",
                    "urn:xmpp:bookmarks-conversion:0", // XEP-0411 §2
                    "urn:xmpp:bookmarks:1#compat")); // XEP-0402 §5.3
        } finally {
            c.disconnect();
        }
    }

    /** For a contact with a subscription (XEP-0030 §8); strangers: {@code AccountPrivacyTest}. */
    @Test
    void aContactsBareJidIsAnsweredByTheServerEvenWhenItIsOffline() throws Exception {
        server.createUser("disco-offline", "pw");
        server.stores().roster().put("disco-offline", org.parley.store.RosterItem.of("disco-asker@localhost")
                .withSubscription(org.parley.store.Subscription.BOTH));
        XMPPTCPConnection c = server.login("disco-asker");
        try {
            DiscoverInfo info = ServiceDiscoveryManager.getInstanceFor(c).discoverInfo(jid("disco-offline@localhost"));

            assertThat(info.getFrom().toString()).isEqualTo("disco-offline@localhost");
            assertThat(nonPep(info)).singleElement()
                    .satisfies(i -> assertThat(i.getCategory() + "/" + i.getType()).isEqualTo("account/registered"));
        } finally {
            c.disconnect();
        }
    }

    @Test
    void anAccountThatDoesNotExistIsServiceUnavailable() throws Exception {
        XMPPTCPConnection c = server.login("disco-ghost-asker");
        try {
            XMPPErrorException e = catchThrowableOfType(XMPPErrorException.class,
                    () -> ServiceDiscoveryManager.getInstanceFor(c).discoverInfo(jid("nobody-here@localhost")));

            assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);
        } finally {
            c.disconnect();
        }
    }

    @Test
    void serverItemsAreTheServicesItHosts() throws Exception {
        XMPPTCPConnection c = server.login("disco-items");
        try {
            DiscoverItems items = ServiceDiscoveryManager.getInstanceFor(c).discoverItems(jid("localhost"));

            assertThat(items.getType()).isEqualTo(org.jivesoftware.smack.packet.IQ.Type.result);
            assertThat(items.getItems()).extracting(i -> i.getEntityID().toString())
                    .containsExactlyInAnyOrder("upload.localhost", "conference.localhost");
        } finally {
            c.disconnect();
        }
    }

    @Test
    void infoOnANodeThatDoesNotExistIsItemNotFound() throws Exception {
        XMPPTCPConnection c = server.login("disco-node");
        try {
            ServiceDiscoveryManager disco = ServiceDiscoveryManager.getInstanceFor(c);

            XMPPErrorException info = catchThrowableOfType(XMPPErrorException.class,
                    () -> disco.discoverInfo(jid("localhost"), "no-such-node"));
            XMPPErrorException items = catchThrowableOfType(XMPPErrorException.class,
                    () -> disco.discoverItems(jid("localhost"), "no-such-node"));

            assertThat(info.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.item_not_found);
            assertThat(items.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.item_not_found);
        } finally {
            c.disconnect();
        }
    }
}
