package org.parley.protocol;

import org.parley.feature.caps.SqlCapsStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.parley.protocol.ImClients.bare;
import static org.parley.protocol.ImClients.closeAll;
import static org.parley.protocol.ImClients.next;
import static org.parley.protocol.ImClients.none;
import static org.parley.protocol.PepClients.awaitCapsKnown;
import static org.parley.protocol.PepClients.collectEvents;
import static org.parley.protocol.PepClients.events;
import static org.parley.protocol.PepClients.ids;
import static org.parley.protocol.PepClients.interestedIn;
import static org.parley.protocol.PepClients.items;
import static org.parley.protocol.PepClients.publish;

import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaError.Condition;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.nick.packet.Nick;
import org.jivesoftware.smackx.pep.PepManager;
import org.jivesoftware.smackx.pubsub.Item;
import org.jivesoftware.smackx.pubsub.LeafNode;
import org.jivesoftware.smackx.pubsub.PayloadItem;
import org.jivesoftware.smackx.pubsub.PubSubManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.ServerExtension;
import org.parley.xml.Element;

/** What real clients do with PEP: XEP-0402 bookmarks, the OMEMO device list, XEP-0084 avatars, XEP-0172 nicknames. */
class PepUseCasesTest {
    private static final String BOOKMARKS = "urn:xmpp:bookmarks:1";
    private static final String DEVICELIST = "eu.siacs.conversations.axolotl.devicelist";
    private static final String AXOLOTL = "eu.siacs.conversations.axolotl";
    private static final String AVATAR_DATA = "urn:xmpp:avatar:data";
    private static final String AVATAR_METADATA = "urn:xmpp:avatar:metadata";
    /** As Conversations and Gajim publish bookmarks (XEP-0402 §3.1 and XEP-0223). */
    private static final String BOOKMARK_OPTIONS = "pubsub#persist_items=true;pubsub#max_items=max;"
            + "pubsub#send_last_published_item=never;pubsub#access_model=whitelist";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();
    private static final ImClients im = new ImClients(server);

    private static String bookmark(String name) {
        return "<conference xmlns='" + BOOKMARKS + "' name='" + name + "' autojoin='true'><nick>al</nick></conference>";
    }

    @Test
    void bookmarksArePrivateToTheOwnersResources() throws Exception {
        im.contacts("u1-alice", "u1-bob");
        XMPPTCPConnection phone = im.online("u1-alice", "phone");
        XMPPTCPConnection desk = im.login("u1-alice", "desk", true, true, interestedIn(BOOKMARKS));
        XMPPTCPConnection bob = im.login("u1-bob", "b", true, true, interestedIn(BOOKMARKS));
        XMPPTCPConnection laptop = null;
        try {
            BlockingQueue<Element> deskEvents = events(desk);
            BlockingQueue<Element> bobEvents = events(bob);
            awaitCapsKnown(server.database(), desk);
            awaitCapsKnown(server.database(), bob);

            publish(phone, BOOKMARKS, "room1@conference.localhost", bookmark("One"), BOOKMARK_OPTIONS);
            publish(phone, BOOKMARKS, "room2@conference.localhost", bookmark("Two"), BOOKMARK_OPTIONS);

            assertThat(ids(next(deskEvents))).containsExactly("room1@conference.localhost");
            assertThat(ids(next(deskEvents))).containsExactly("room2@conference.localhost");
            none(bobEvents);
            assertThat(ids(items(desk, bare("u1-alice"), BOOKMARKS, ">")))
                    .containsExactly("room1@conference.localhost", "room2@conference.localhost");
            XMPPErrorException denied = catchThrowableOfType(XMPPErrorException.class,
                    () -> items(bob, bare("u1-alice"), BOOKMARKS, ">"));
            assertThat(denied.getStanzaError().getCondition()).isEqualTo(Condition.not_allowed);

            PepClients.send(phone, PepClients.pubsub(IQ.Type.set, PepClients.PUBSUB, null,
                    "<retract node='" + BOOKMARKS + "' notify='true'><item id='room1@conference.localhost'/></retract>"));
            assertThat(PepClients.nextWith(deskEvents, "retract").elements().get(0).attr("id"))
                    .isEqualTo("room1@conference.localhost");

            // send_last_published_item=never: a new resource fetches bookmarks itself.
            BlockingQueue<Element> laptopEvents = new LinkedBlockingQueue<>();
            laptop = im.login("u1-alice", "laptop", true, true, interestedIn(BOOKMARKS).andThen(collectEvents(laptopEvents)));
            awaitCapsKnown(server.database(), laptop);
            none(laptopEvents);
        } finally {
            closeAll(phone, desk, bob, laptop);
        }
    }

    @Test
    void omemoDeviceListAndBundlesAreOpenToStrangers() throws Exception {
        im.contacts("u2-alice", "u2-bob");
        im.users("u2-stranger");
        XMPPTCPConnection alice = im.online("u2-alice", "a");
        XMPPTCPConnection bob = im.login("u2-bob", "b", true, true, interestedIn(DEVICELIST));
        XMPPTCPConnection stranger = im.online("u2-stranger", "s");
        try {
            BlockingQueue<Element> bobEvents = events(bob);
            awaitCapsKnown(server.database(), bob);
            String list = "<list xmlns='" + AXOLOTL + "'><device id='1234'/></list>";
            String bundle = "<bundle xmlns='" + AXOLOTL + "'><signedPreKeyPublic signedPreKeyId='1'>AAAA</signedPreKeyPublic>"
                    + "<identityKey>BBBB</identityKey><prekeys><preKeyPublic preKeyId='1'>CCCC</preKeyPublic></prekeys></bundle>";

            publish(alice, DEVICELIST, "current", list, "pubsub#access_model=open");
            publish(alice, AXOLOTL + ".bundles:1234", "current", bundle, "pubsub#access_model=open");
            // Publishing the same device list again with the same options is no conflict.
            publish(alice, DEVICELIST, "current", list.replace("</list>", "<device id='99'/></list>"), "pubsub#access_model=open");

            assertThat(ids(next(bobEvents))).containsExactly("current");
            PubSubManager strangerView = PubSubManager.getInstanceFor(stranger, bare("u2-alice"));
            LeafNode devices = strangerView.getLeafNode(DEVICELIST);
            java.util.List<Item> got = devices.getItems();
            assertThat(got).hasSize(1);
            assertThat(got.get(0).toXML().toString()).contains("1234").contains("99");
            assertThat(strangerView.getLeafNode(AXOLOTL + ".bundles:1234").getItems()).hasSize(1);
        } finally {
            closeAll(alice, bob, stranger);
        }
    }

    @Test
    void avatarMetadataIsNotifiedAndStampedIntoPresenceAsVCardPhotoHash() throws Exception {
        im.contacts("u3-alice", "u3-bob");
        XMPPTCPConnection alice = im.online("u3-alice", "a");
        XMPPTCPConnection bob = im.login("u3-bob", "b", true, true, interestedIn(AVATAR_METADATA));
        try {
            BlockingQueue<Element> bobEvents = events(bob);
            BlockingQueue<Presence> presences = ImClients.presencesFrom(bob, "u3-alice");
            awaitCapsKnown(server.database(), bob);
            byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
            String id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(png));

            publish(alice, AVATAR_DATA, id, "<data xmlns='" + AVATAR_DATA + "'>"
                    + Base64.getEncoder().encodeToString(png) + "</data>", null);
            publish(alice, AVATAR_METADATA, id, "<metadata xmlns='" + AVATAR_METADATA + "'><info bytes='7' id='" + id
                    + "' type='image/png'/></metadata>", null);

            Element metadata = next(bobEvents);
            assertThat(metadata.attr("node")).isEqualTo(AVATAR_METADATA);
            assertThat(ids(metadata)).containsExactly(id);
            Element data = items(bob, bare("u3-alice"), AVATAR_DATA, "><item id='" + id + "'/>");
            assertThat(data.toXml()).contains(Base64.getEncoder().encodeToString(png));

            presences.clear();
            // The client's own (stale) vCard hash is replaced by the PEP avatar's.
            Presence p = alice.getStanzaFactory().buildPresenceStanza()
                    .addExtension(StandardExtensionElement.builder("x", "vcard-temp:x:update")
                            .addElement("photo", "0000").build())
                    .build();
            alice.sendStanza(p);
            Presence seen = next(presences);
            StandardExtensionElement x = (StandardExtensionElement) seen.getExtensionElement("x", "vcard-temp:x:update");
            assertThat(x.getFirstElement("photo").getText()).isEqualTo(id);
        } finally {
            closeAll(alice, bob);
        }
    }

    @Test
    void nicknameWithSmacksPepManager() throws Exception {
        im.contacts("u4-alice", "u4-bob");
        XMPPTCPConnection alice = im.online("u4-alice", "a");
        XMPPTCPConnection bob = im.online("u4-bob", "b");
        try {
            BlockingQueue<String> nicks = new LinkedBlockingQueue<>();
            PepManager.getInstanceFor(bob).addPepEventListener(Nick.NAMESPACE, Nick.class,
                    (from, nick, itemId, message) -> nicks.add(from + ":" + nick.getName()));
            // Adding the listener announced nick+notify: Smack re-sent presence with new caps.
            ImClients.eventually("bob's new caps are verified", () -> {
                String ver = org.jivesoftware.smackx.caps.EntityCapsManager.getInstanceFor(bob).getCapsVersionAndHash().version;
                return new SqlCapsStore(server.database()).features("sha-1", ver)
                        .map(f -> f.contains(Nick.NAMESPACE + "+notify")).orElse(false);
            });
            Thread.sleep(100);

            PepManager.getInstanceFor(alice).publish(Nick.NAMESPACE, new PayloadItem<>(new Nick("Ali")));

            assertThat(next(nicks)).isEqualTo("u4-alice@localhost:Ali");
        } finally {
            closeAll(alice, bob);
        }
    }
}
