package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.parley.protocol.ImClients.bare;
import static org.parley.protocol.ImClients.closeAll;
import static org.parley.protocol.ImClients.next;
import static org.parley.protocol.ImClients.none;
import static org.parley.protocol.PepClients.awaitCapsKnown;
import static org.parley.protocol.PepClients.events;
import static org.parley.protocol.PepClients.ids;
import static org.parley.protocol.PepClients.interestedIn;
import static org.parley.protocol.PepClients.items;
import static org.parley.protocol.PepClients.publish;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import javax.imageio.ImageIO;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.StanzaError.Condition;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.vcardtemp.VCardManager;
import org.jivesoftware.smackx.vcardtemp.packet.VCard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.ServerExtension;
import org.parley.xml.Element;

/**
 * XEP-0398: a legacy client's vCard photo becomes the XEP-0084 avatar its PEP contacts see, a
 * PEP avatar becomes the vCard photo, and presence carries the XEP-0153 hash of whichever it is.
 */
class AvatarConversionTest {
    private static final String DATA = "urn:xmpp:avatar:data";
    private static final String METADATA = "urn:xmpp:avatar:metadata";
    private static final String UPDATE = "vcard-temp:x:update";

    /** A small item limit, so a photo that PEP must refuse is small too. */
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of("PARLEY_PEP_MAX_ITEM_BYTES", "4096"));
    private static final ImClients im = new ImClients(server);

    private static byte[] png(int width, int height, int rgb) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, rgb);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static String sha1(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    }

    private static VCard card(String nick, byte[] photo) {
        VCard v = new VCard();
        v.setNickName(nick);
        if (photo != null) {
            v.setAvatar(photo, "image/png");
        }
        return v;
    }

    private static void save(XMPPTCPConnection c, VCard v) throws Exception {
        VCardManager.getInstanceFor(c).saveVCard(v);
    }

    /** The photo of the vcard-temp:x:update in a presence, "" when empty, null when there is none. */
    private static String photoIn(Presence p) {
        StandardExtensionElement x = (StandardExtensionElement) p.getExtensionElement("x", UPDATE);
        if (x == null || x.getFirstElement("photo") == null) {
            return null;
        }
        String text = x.getFirstElement("photo").getText();
        return text == null ? "" : text;
    }

    /** A presence with {@code updateXml} ({@code <x/>}, {@code <photo/>} or none), marked by its status. */
    private static Presence presenceWith(XMPPTCPConnection c, String updateXml) {
        var b = c.getStanzaFactory().buildPresenceStanza().setStatus(String.valueOf(updateXml));
        if (updateXml != null) {
            StandardExtensionElement.Builder x = StandardExtensionElement.builder("x", UPDATE);
            if (updateXml.equals("<photo/>")) {
                x.addElement(StandardExtensionElement.builder("photo", UPDATE).build());
            }
            b.addExtension(x.build());
        }
        return b.build();
    }

    /** The contact's copy of a presence sent with {@link #presenceWith}; earlier ones still in flight are skipped. */
    private static Presence seen(BlockingQueue<Presence> q, String updateXml) throws InterruptedException {
        while (true) {
            Presence p = next(q);
            if (String.valueOf(updateXml).equals(p.getStatus())) {
                return p;
            }
        }
    }

    @Test
    void aLegacyVCardPhotoReachesPepContactsAndPresence() throws Exception {
        im.contacts("av1-alice", "av1-bob");
        im.users("av1-stranger");
        XMPPTCPConnection alice = im.online("av1-alice", "legacy");
        XMPPTCPConnection bob = im.login("av1-bob", "b", true, true, interestedIn(METADATA));
        XMPPTCPConnection stranger = im.online("av1-stranger", "s");
        try {
            BlockingQueue<Element> bobEvents = events(bob);
            BlockingQueue<Presence> presences = ImClients.presencesFrom(bob, "av1-alice");
            awaitCapsKnown(server.database(), bob);
            byte[] photo = png(3, 2, 0xff0000);
            String id = sha1(photo);

            save(alice, card("Ali", photo));

            Element metadata = next(bobEvents);
            assertThat(metadata.attr("node")).isEqualTo(METADATA);
            assertThat(ids(metadata)).containsExactly(id);
            Element info = metadata.elements().get(0).element("metadata", METADATA).element("info", METADATA);
            assertThat(info.attr("id")).isEqualTo(id);
            assertThat(info.attr("bytes")).isEqualTo(Integer.toString(photo.length));
            assertThat(info.attr("type")).isEqualTo("image/png");
            assertThat(info.attr("width")).isEqualTo("3");
            assertThat(info.attr("height")).isEqualTo("2");
            Element data = items(bob, bare("av1-alice"), DATA, "><item id='" + id + "'/>");
            assertThat(ids(data)).containsExactly(id);
            assertThat(data.elements().get(0).element("data", DATA).text())
                    .isEqualTo(Base64.getEncoder().encodeToString(photo));
            // The vCard was public; so is the avatar made from it (nodes the server created are open).
            assertThat(ids(items(stranger, bare("av1-alice"), DATA, "><item id='" + id + "'/>"))).containsExactly(id);

            alice.sendStanza(presenceWith(alice, null));
            assertThat(photoIn(seen(presences, null))).isEqualTo(id);
            // XEP-0398 §4: an update without a photo is filled in; an explicit empty photo is the client's.
            alice.sendStanza(presenceWith(alice, "<x/>"));
            assertThat(photoIn(seen(presences, "<x/>"))).isEqualTo(id);
            alice.sendStanza(presenceWith(alice, "<photo/>"));
            assertThat(photoIn(seen(presences, "<photo/>"))).isEmpty();

            assertThat(ServiceDiscoveryManager.getInstanceFor(alice).discoverInfo(bare("av1-alice"))
                    .containsFeature("urn:xmpp:pep-vcard-conversion:0")).isTrue();
        } finally {
            closeAll(alice, bob, stranger);
        }
    }

    @Test
    void aVCardWithoutPhotoDisablesTheAvatar() throws Exception {
        im.contacts("av2-alice", "av2-bob");
        XMPPTCPConnection alice = im.online("av2-alice", "legacy");
        XMPPTCPConnection bob = im.login("av2-bob", "b", true, true, interestedIn(METADATA));
        try {
            BlockingQueue<Element> bobEvents = events(bob);
            BlockingQueue<Presence> presences = ImClients.presencesFrom(bob, "av2-alice");
            awaitCapsKnown(server.database(), bob);
            save(alice, card("Ali", png(4, 4, 0x00ff00)));
            assertThat(ids(next(bobEvents))).hasSize(1);

            save(alice, card("Ali", null));

            Element disabled = next(bobEvents);
            assertThat(disabled.attr("node")).isEqualTo(METADATA);
            Element metadata = disabled.elements().get(0).element("metadata", METADATA);
            assertThat(metadata).isNotNull();
            assertThat(metadata.elements()).isEmpty();
            alice.sendStanza(presenceWith(alice, null));
            assertThat(photoIn(seen(presences, null))).isEmpty();
            assertThat(VCardManager.getInstanceFor(alice).loadVCard().getAvatar()).isNull();
        } finally {
            closeAll(alice, bob);
        }
    }

    @Test
    void savingTheSameVCardPhotoAgainNotifiesNobody() throws Exception {
        im.contacts("av3-alice", "av3-bob");
        XMPPTCPConnection alice = im.online("av3-alice", "legacy");
        XMPPTCPConnection bob = im.login("av3-bob", "b", true, true, interestedIn(METADATA));
        try {
            BlockingQueue<Element> bobEvents = events(bob);
            awaitCapsKnown(server.database(), bob);
            byte[] photo = png(5, 5, 0x0000ff);
            save(alice, card("Ali", photo));
            assertThat(ids(next(bobEvents))).containsExactly(sha1(photo));

            // Legacy clients re-save the whole vCard to change one field, or at every login.
            save(alice, card("Alice", photo));
            save(alice, card("Alice", null));
            save(alice, card("Alice", null));

            assertThat(next(bobEvents).elements().get(0).element("metadata", METADATA).elements()).isEmpty();
            none(bobEvents);
            assertThat(VCardManager.getInstanceFor(alice).loadVCard().getNickName()).isEqualTo("Alice");
        } finally {
            closeAll(alice, bob);
        }
    }

    @Test
    void aPepAvatarBecomesTheVCardPhotoAndComesBackOnce() throws Exception {
        im.contacts("av4-alice", "av4-bob");
        XMPPTCPConnection alice = im.online("av4-alice", "modern");
        XMPPTCPConnection bob = im.login("av4-bob", "b", true, true, interestedIn(METADATA));
        try {
            BlockingQueue<Element> bobEvents = events(bob);
            awaitCapsKnown(server.database(), bob);
            save(alice, card("Ali", null));
            byte[] photo = png(6, 3, 0x123456);
            String id = sha1(photo);

            publish(alice, DATA, id, "<data xmlns='" + DATA + "'>" + Base64.getEncoder().encodeToString(photo)
                    + "</data>", null);
            publish(alice, METADATA, id, "<metadata xmlns='" + METADATA + "'><info bytes='" + photo.length
                    + "' id='" + id + "' type='image/png'/></metadata>", null);
            assertThat(ids(next(bobEvents))).containsExactly(id);

            VCard stored = VCardManager.getInstanceFor(bob).loadVCard(bare("av4-alice").asEntityBareJidIfPossible());
            assertThat(stored.getAvatar()).isEqualTo(photo);
            assertThat(stored.getAvatarMimeType()).isEqualTo("image/png");
            assertThat(stored.getNickName()).isEqualTo("Ali");

            // A legacy resource edits that vCard: the avatar is already its photo, nothing is re-published.
            VCard edited = VCardManager.getInstanceFor(alice).loadVCard();
            edited.setNickName("Alice");
            save(alice, edited);
            none(bobEvents);

            publish(alice, METADATA, null, "<metadata xmlns='" + METADATA + "'/>", null);
            next(bobEvents);
            VCard after = VCardManager.getInstanceFor(alice).loadVCard();
            assertThat(after.getAvatar()).isNull();
            assertThat(after.getNickName()).isEqualTo("Alice");
        } finally {
            closeAll(alice, bob);
        }
    }

    @Test
    void avatarNodesTheOwnerMadeKeepTheirAccessModel() throws Exception {
        im.contacts("av5-alice", "av5-bob");
        im.users("av5-stranger");
        XMPPTCPConnection alice = im.online("av5-alice", "a");
        XMPPTCPConnection bob = im.login("av5-bob", "b", true, true, interestedIn(METADATA));
        XMPPTCPConnection stranger = im.online("av5-stranger", "s");
        try {
            BlockingQueue<Element> bobEvents = events(bob);
            awaitCapsKnown(server.database(), bob);
            byte[] first = png(2, 2, 0x111111);
            publish(alice, DATA, sha1(first), "<data xmlns='" + DATA + "'>"
                    + Base64.getEncoder().encodeToString(first) + "</data>", null);
            publish(alice, METADATA, sha1(first), "<metadata xmlns='" + METADATA + "'><info bytes='"
                    + first.length + "' id='" + sha1(first) + "' type='image/png'/></metadata>", null);
            next(bobEvents);
            byte[] second = png(2, 2, 0x222222);

            save(alice, card("Ali", second));

            assertThat(ids(next(bobEvents))).containsExactly(sha1(second));
            XMPPErrorException denied = catchThrowableOfType(XMPPErrorException.class,
                    () -> items(stranger, bare("av5-alice"), DATA, "><item id='" + sha1(second) + "'/>"));
            assertThat(denied.getStanzaError().getCondition()).isEqualTo(Condition.not_authorized);
        } finally {
            closeAll(alice, bob, stranger);
        }
    }

    @Test
    void aPhotoPepCannotHoldIsRefusedWithTheVCard() throws Exception {
        im.users("av6-alice");
        XMPPTCPConnection alice = im.online("av6-alice", "legacy");
        try {
            save(alice, card("Small", png(2, 2, 0)));
            byte[] big = new byte[4000]; // 5,336 bytes of base64, over pep.maxItemBytes
            new Random(1).nextBytes(big);

            XMPPErrorException refused = catchThrowableOfType(XMPPErrorException.class,
                    () -> save(alice, card("Big", big)));

            assertThat(refused.getStanzaError().getCondition()).isEqualTo(Condition.not_acceptable);
            VCard kept = VCardManager.getInstanceFor(alice).loadVCard();
            assertThat(kept.getNickName()).isEqualTo("Small");
            assertThat(kept.getAvatar()).isEqualTo(png(2, 2, 0));
        } finally {
            closeAll(alice);
        }
    }

    @Test
    void aPhotoThatIsNotBase64IsABadRequest() throws Exception {
        im.users("av7-alice");
        XMPPTCPConnection alice = im.online("av7-alice", "legacy");
        try {
            IQ set = new IQ("vCard", "vcard-temp") {
                @Override
                protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
                    xml.rightAngleBracket();
                    xml.append("<PHOTO><TYPE>image/png</TYPE><BINVAL>not*base64!</BINVAL></PHOTO>");
                    return xml;
                }
            };
            set.setType(IQ.Type.set);

            XMPPErrorException refused = catchThrowableOfType(XMPPErrorException.class,
                    () -> alice.createStanzaCollectorAndSend(set).nextResultOrThrow());

            assertThat(refused.getStanzaError().getCondition()).isEqualTo(Condition.bad_request);
        } finally {
            closeAll(alice);
        }
    }
}
