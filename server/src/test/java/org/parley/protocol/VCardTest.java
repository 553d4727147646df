package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.vcardtemp.VCardManager;
import org.jivesoftware.smackx.vcardtemp.packet.VCard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.testing.ServerExtension;

/** XEP-0054 vcard-temp: an owner stores a vCard, anyone reads it. */
class VCardTest {
    /** Not a real image: arbitrary bytes, including ones that are not valid UTF-8, must survive base64 storage. */
    private static final byte[] PHOTO = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xff, (byte) 0xfe, 42};

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();

    private static EntityBareJid bare(String user) throws Exception {
        return JidCreate.entityBareFrom(user + "@localhost");
    }

    private static VCard card(String nick, String email) {
        VCard v = new VCard();
        v.setNickName(nick);
        v.setEmailHome(email);
        v.setAvatar(PHOTO, "image/png");
        return v;
    }

    /** The error a request that must fail was answered with. */
    private static StanzaError errorOf(ThrowingCallable request) {
        return catchThrowableOfType(XMPPErrorException.class, request).getStanzaError();
    }

    @Test
    void ownerSetsAVCardAndReadsItBack() throws Exception {
        XMPPTCPConnection alice = server.login("vc-alice");
        try {
            VCardManager vcards = VCardManager.getInstanceFor(alice);
            vcards.saveVCard(card("Ali", "alice@example.org"));

            VCard read = vcards.loadVCard();

            assertThat(read.getType()).isEqualTo(IQ.Type.result);
            assertThat(read.getNickName()).isEqualTo("Ali");
            assertThat(read.getEmailHome()).isEqualTo("alice@example.org");
            assertThat(read.getAvatar()).isEqualTo(PHOTO);
            assertThat(read.getAvatarMimeType()).isEqualTo("image/png");
        } finally {
            alice.disconnect();
        }
    }

    @Test
    void anotherUserReadsTheVCardFromTheOwnersBareJid() throws Exception {
        XMPPTCPConnection owner = server.login("vc-owner");
        XMPPTCPConnection reader = server.login("vc-reader");
        try {
            VCardManager.getInstanceFor(owner).saveVCard(card("Own", "owner@example.org"));

            VCard read = VCardManager.getInstanceFor(reader).loadVCard(bare("vc-owner"));

            assertThat(read.getFrom().toString()).isEqualTo("vc-owner@localhost");
            assertThat(read.getNickName()).isEqualTo("Own");
            assertThat(read.getEmailHome()).isEqualTo("owner@example.org");
            assertThat(read.getAvatar()).isEqualTo(PHOTO);
        } finally {
            owner.disconnect();
            reader.disconnect();
        }
    }

    @Test
    void aSecondSetReplacesTheWholeVCard() throws Exception {
        XMPPTCPConnection c = server.login("vc-replace");
        try {
            VCardManager vcards = VCardManager.getInstanceFor(c);
            vcards.saveVCard(card("First", "first@example.org"));
            VCard second = new VCard();
            second.setNickName("Second");
            vcards.saveVCard(second);

            VCard read = vcards.loadVCard();

            assertThat(read.getNickName()).isEqualTo("Second");
            assertThat(read.getEmailHome()).isNull();
            assertThat(read.getAvatar()).isNull();
        } finally {
            c.disconnect();
        }
    }

    @Test
    void settingAnotherUsersVCardIsForbidden() throws Exception {
        XMPPTCPConnection mallory = server.login("vc-mallory");
        XMPPTCPConnection victim = server.login("vc-victim");
        try {
            VCard forged = card("pwned", "mallory@example.org");
            forged.setTo(bare("vc-victim"));
            forged.setType(IQ.Type.set);

            StanzaError e = errorOf(() -> mallory.createStanzaCollectorAndSend(forged).nextResultOrThrow());

            assertThat(e.getCondition()).isEqualTo(StanzaError.Condition.forbidden);
            assertThat(e.getType()).isEqualTo(StanzaError.Type.AUTH);
            // and nothing was stored for the victim
            StanzaError none = errorOf(() -> VCardManager.getInstanceFor(victim).loadVCard());
            assertThat(none.getCondition()).isEqualTo(StanzaError.Condition.item_not_found);
        } finally {
            mallory.disconnect();
            victim.disconnect();
        }
    }

    /**
     * XEP-0054 §3.1 allows an error (SHOULD be item-not-found) or an empty vCard; the user gets
     * item-not-found. Someone else gets service-unavailable, as for a user who does not exist
     * (§3.3: the same error for both, see {@code AccountPrivacyTest}).
     */
    @Test
    void noVCardYetIsItemNotFoundToTheUserAndServiceUnavailableToOthers() throws Exception {
        XMPPTCPConnection c = server.login("vc-empty");
        server.createUser("vc-empty-other", "pw");
        try {
            VCardManager vcards = VCardManager.getInstanceFor(c);

            StanzaError own = errorOf(vcards::loadVCard);
            StanzaError other = errorOf(() -> vcards.loadVCard(bare("vc-empty-other")));

            assertThat(own.getCondition()).isEqualTo(StanzaError.Condition.item_not_found);
            assertThat(other.getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);
        } finally {
            c.disconnect();
        }
    }

    /** XEP-0054 §3.3: a user who does not exist is service-unavailable (or item-not-found). */
    @Test
    void vCardOfAUserWhoDoesNotExistIsServiceUnavailable() throws Exception {
        XMPPTCPConnection c = server.login("vc-asker");
        try {
            StanzaError e = errorOf(() -> VCardManager.getInstanceFor(c).loadVCard(bare("vc-nobody")));

            assertThat(e.getCondition()).isEqualTo(StanzaError.Condition.service_unavailable);
        } finally {
            c.disconnect();
        }
    }
}
