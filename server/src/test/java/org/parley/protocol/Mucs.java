package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jivesoftware.smackx.ping.PingManager;
import org.jivesoftware.smackx.xdata.form.FillableForm;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;

/** Helpers of the group chat tests: Smack's XEP-0045 client against the server's conference service. */
final class Mucs {
    static final String SERVICE = "conference.localhost";

    private Mucs() {
    }

    static EntityBareJid room(String name) {
        return JidCreate.entityBareFromOrThrowUnchecked(name + "@" + SERVICE);
    }

    /** The occupant JID {@code room@service/nick}. */
    static org.jxmpp.jid.EntityFullJid occupant(String room, String nick) {
        return org.jxmpp.jid.impl.JidCreate.entityFullFrom(room(room), nick(nick));
    }

    static Resourcepart nick(String nick) {
        return Resourcepart.fromOrThrowUnchecked(nick);
    }

    static MultiUserChat muc(XMPPConnection c, String room) {
        return MultiUserChatManager.getInstanceFor(c).getMultiUserChat(room(room));
    }

    /**
     * Returns once {@code c}'s Smack has handled what the server sent it so far. Smack 4.4 runs a
     * room's presence listener, which locks the {@code MultiUserChat}, while its reader thread
     * waits for it; joining the same {@code MultiUserChat} right after leaving it (or being
     * removed from it) takes that lock first and waits for a reply the stalled reader cannot hand
     * over, until the join times out. One round trip to the server lets the listener run first.
     */
    static void settle(XMPPConnection c) throws Exception {
        PingManager.getInstanceFor(c).pingMyServer();
    }

    /** Leaves {@code muc}, ready to join it again (see {@link #settle}). */
    static void leave(XMPPConnection c, MultiUserChat muc) throws Exception {
        muc.leave();
        settle(c);
    }

    /** Creates an instant room (§10.1.2) and returns it joined as {@code nick}. */
    static MultiUserChat instant(XMPPConnection c, String room, String nick) throws Exception {
        MultiUserChat muc = muc(c, room);
        muc.create(nick(nick)).makeInstant();
        return muc;
    }

    /** Creates a room configured with {@code answers} (field var to a Boolean or a String). */
    static MultiUserChat configured(XMPPConnection c, String room, String nick, Map<String, Object> answers)
            throws Exception {
        MultiUserChat muc = muc(c, room);
        muc.create(nick(nick));
        configure(muc, answers);
        return muc;
    }

    static void configure(MultiUserChat muc, Map<String, Object> answers) throws Exception {
        FillableForm form = muc.getConfigurationForm().getFillableForm();
        answers.forEach((var, value) -> {
            if (value instanceof Boolean b) {
                form.setAnswer(var, b);
            } else {
                form.setAnswer(var, value.toString());
            }
        });
        muc.sendConfigurationForm(form);
    }

    /** The condition of the error a join meets. */
    static StanzaError.Condition joinError(MultiUserChat muc, String nick, String password) {
        XMPPErrorException e = catchThrowableOfType(XMPPErrorException.class,
                () -> muc.join(nick(nick), password));
        assertThat(e).as("the join is refused").isNotNull();
        return e.getStanzaError().getCondition();
    }

    /** The condition of the error {@code action} meets. */
    static StanzaError.Condition refused(ThrowingRunnable action) {
        XMPPErrorException e = catchThrowableOfType(XMPPErrorException.class, action::run);
        assertThat(e).as("refused").isNotNull();
        return e.getStanzaError().getCondition();
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** The next groupchat message with a body, failing after a few seconds. */
    static Message next(MultiUserChat muc) throws Exception {
        Message m = muc.nextMessage(5000);
        while (m != null && m.getBody() == null) {
            m = muc.nextMessage(5000);
        }
        assertThat(m).as("a message in " + muc.getRoom()).isNotNull();
        return m;
    }
}
