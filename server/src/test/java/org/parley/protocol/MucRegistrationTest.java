package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.protocol.Mucs.instant;
import static org.parley.protocol.Mucs.joinError;
import static org.parley.protocol.Mucs.muc;
import static org.parley.protocol.Mucs.nick;
import static org.parley.protocol.Mucs.refused;

import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.muc.Affiliate;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.xdata.form.FillableForm;
import org.jivesoftware.smackx.xdata.form.Form;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.ServerExtension;

/** XEP-0045 §7.10 and §7.12: registering with a room reserves a nickname, which nobody else may take. */
class MucRegistrationTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();

    private static void register(MultiUserChat muc, String nick) throws Exception {
        Form form = muc.getRegistrationForm();
        FillableForm filled = form.getFillableForm();
        filled.setAnswer("muc#register_roomnick", nick);
        muc.sendRegistrationForm(filled);
    }

    @Test
    void aRegisteredNicknameIsReservedMakesAMemberAndIsFreedByCancelling() throws Exception {
        XMPPTCPConnection alice = server.login("reg-alice");
        XMPPTCPConnection bob = server.login("reg-bob");
        XMPPTCPConnection carol = server.login("reg-carol");
        try {
            MultiUserChat a = instant(alice, "reg", "Alice");
            MultiUserChat b = muc(bob, "reg");
            assertThat(b.getReservedNickname()).as("nothing reserved yet").isNull();
            register(b, "Juliet");
            assertThat(b.getReservedNickname()).isEqualTo("Juliet");
            assertThat(a.getMembers()).extracting(Affiliate::getJid).extracting(Object::toString)
                    .containsExactly("reg-bob@localhost");
            assertThat(a.getMembers().get(0).getNick().toString()).isEqualTo("Juliet");

            MultiUserChat c = muc(carol, "reg");
            assertThat(joinError(c, "Juliet", null)).as("someone else's reserved nickname")
                    .isEqualTo(StanzaError.Condition.conflict);
            assertThat(refused(() -> register(c, "Juliet"))).isEqualTo(StanzaError.Condition.conflict);
            c.join(nick("Carol"));
            assertThat(refused(() -> c.changeNickname(nick("Juliet")))).isEqualTo(StanzaError.Condition.conflict);
            assertThat(refused(() -> register(c, "Alice"))).as("a nickname in use by another occupant")
                    .isEqualTo(StanzaError.Condition.conflict);

            b.join(nick("Juliet"));
            assertThat(b.isJoined()).isTrue();
            b.leave();

            bob.createStanzaCollectorAndSend(cancel(bob, "reg")).nextResultOrThrow();
            assertThat(refused(() -> bob.createStanzaCollectorAndSend(cancel(bob, "reg")).nextResultOrThrow()))
                    .as("not registered").isEqualTo(StanzaError.Condition.item_not_found);
        } finally {
            alice.disconnect();
            bob.disconnect();
            carol.disconnect();
        }
    }

    /** {@code <query xmlns='jabber:iq:register'><remove/></query>} to the room. */
    private static org.jivesoftware.smack.packet.IQ cancel(XMPPTCPConnection c, String room) {
        org.jivesoftware.smack.packet.IQ iq = new org.jivesoftware.smack.packet.IQ("query", "jabber:iq:register") {
            @Override
            protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
                xml.rightAngleBracket();
                xml.emptyElement("remove");
                return xml;
            }
        };
        iq.setType(org.jivesoftware.smack.packet.IQ.Type.set);
        iq.setTo(Mucs.room(room));
        return iq;
    }

    @Test
    void cancellingFreesTheNicknameAndOutcastsMayNotRegister() throws Exception {
        XMPPTCPConnection alice = server.login("unreg-alice");
        XMPPTCPConnection bob = server.login("unreg-bob");
        XMPPTCPConnection carol = server.login("unreg-carol");
        try {
            MultiUserChat a = instant(alice, "unreg", "Alice");
            MultiUserChat b = muc(bob, "unreg");
            register(b, "Romeo");
            bob.createStanzaCollectorAndSend(cancel(bob, "unreg")).nextResultOrThrow();
            assertThat(b.getReservedNickname()).isNull();
            assertThat(a.getMembers()).as("the membership registration gave goes with it").isEmpty();
            MultiUserChat c = muc(carol, "unreg");
            c.join(nick("Romeo"));
            assertThat(c.isJoined()).isTrue();

            a.banUser(carol.getUser().asBareJid(), "no");
            assertThat(refused(() -> register(c, "Mercutio"))).isEqualTo(StanzaError.Condition.forbidden);
        } finally {
            alice.disconnect();
            bob.disconnect();
            carol.disconnect();
        }
    }
}
