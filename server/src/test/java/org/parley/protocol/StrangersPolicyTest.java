package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.store.RosterItem;
import org.parley.store.Subscription;
import org.parley.testing.MessageInbox;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;

/**
 * strangers.policy {@code refuse} and strangers.maxMessages: a stranger's message bounces with
 * policy-violation while contacts, and people the user wrote to, get through; an account that
 * writes to too many strangers is held back with policy-violation (wait) while its messages to
 * contacts and replies pass. Two contacts keep chatting.
 */
class StrangersPolicyTest {

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of(
            "PARLEY_STRANGERS_POLICY", "refuse",
            "PARLEY_STRANGERS_MAX_MESSAGES", "3",
            "PARLEY_STRANGERS_WINDOW", "1h"));

    /** Makes the two accounts contacts with a mutual subscription, as an accepted request would. */
    static void contacts(ServerExtension server, String a, String b) {
        server.account(a);
        server.account(b);
        server.stores().roster().put(a, RosterItem.of(b + "@localhost").withSubscription(Subscription.BOTH));
        server.stores().roster().put(b, RosterItem.of(a + "@localhost").withSubscription(Subscription.BOTH));
    }

    private static Element answerTo(RawStreamClient c, String id) {
        return c.expect(e -> e.is("message", Namespaces.CLIENT) && id.equals(e.attr("id")), "message " + id);
    }

    @Test
    void aStrangersMessageIsRefusedAndAContactsDelivered() throws Exception {
        contacts(server, "sp-alice", "sp-bob");
        contacts(server, "sp-victim", "sp-friend");
        try (MessageInbox alice = server.inbox("sp-alice", "a");
             MessageInbox bob = server.inbox("sp-bob", "b");
             RawStreamClient victim = server.bound("sp-victim", "v");
             RawStreamClient friend = server.bound("sp-friend", "f");
             RawStreamClient stranger = server.bound("sp-stranger", "s")) {
            victim.send("<presence/>");
            stranger.send("<message type='chat' to='sp-victim@localhost' id='m1'><body>buy now</body></message>");
            Element bounce = answerTo(stranger, "m1");
            assertThat(bounce.attr("type")).isEqualTo("error");
            assertThat(RawStreamClient.stanzaErrorCondition(bounce)).isEqualTo("policy-violation");
            assertThat(bounce.element("error", Namespaces.CLIENT).attr("type")).isEqualTo("modify");
            // A chat state alone is dropped without an answer.
            stranger.send("<message type='chat' to='sp-victim@localhost' id='m2'>"
                    + "<composing xmlns='http://jabber.org/protocol/chatstates'/></message>");

            friend.send("<message type='chat' to='sp-victim@localhost' id='f1'><body>hi, friend here</body></message>");
            Element got = victim.expect(e -> e.is("message", Namespaces.CLIENT), "the friend's message");
            assertThat(got.attr("id")).as("nothing of the stranger's arrived first").isEqualTo("f1");

            // Once the user wrote to the stranger (which reaches the stranger: it wrote first), the
            // stranger's reply is delivered.
            victim.send("<message type='chat' to='sp-stranger@localhost/s' id='v1'><body>who are you?</body></message>");
            assertThat(answerTo(stranger, "v1").attr("type")).isEqualTo("chat");
            stranger.send("<message type='chat' to='sp-victim@localhost/v' id='m3'><body>a neighbour</body></message>");
            assertThat(answerTo(victim, "m3").childText("body", Namespaces.CLIENT)).isEqualTo("a neighbour");
            alice.chatWith(bob, "still chatting");
        }
    }

    @Test
    void anAccountWritingToManyStrangersIsHeldBack() throws Exception {
        contacts(server, "sl-alice", "sl-bob");
        contacts(server, "sl-spammer", "sl-friend");
        for (int i = 1; i <= 5; i++) {
            server.account("sl-target" + i);
        }
        try (MessageInbox alice = server.inbox("sl-alice", "a");
             MessageInbox bob = server.inbox("sl-bob", "b");
             RawStreamClient spammer = server.bound("sl-spammer", "s");
             RawStreamClient friend = server.bound("sl-friend", "f");
             RawStreamClient writer = server.bound("sl-target5", "w")) {
            friend.send("<presence/>");
            // The targets refuse strangers, but the bounces come from them: the limit is the sender's.
            for (int i = 1; i <= 3; i++) {
                spammer.send("<message type='chat' to='sl-target" + i + "@localhost' id='s" + i + "'><body>offer "
                        + i + "</body></message>");
                assertThat(RawStreamClient.stanzaErrorCondition(answerTo(spammer, "s" + i)))
                        .isEqualTo("policy-violation");
            }
            spammer.send("<message type='chat' to='sl-target4@localhost' id='s4'><body>offer 4</body></message>");
            Element limited = answerTo(spammer, "s4");
            assertThat(RawStreamClient.stanzaErrorCondition(limited)).isEqualTo("policy-violation");
            assertThat(limited.element("error", Namespaces.CLIENT).attr("type")).as("the sender's limit").isEqualTo("wait");

            // Messages to a contact still go out, and so does a reply to someone who wrote first.
            spammer.send("<message type='chat' to='sl-friend@localhost/f' id='c1'><body>to a friend</body></message>");
            answerTo(friend, "c1");
            // (the spammer refuses strangers too: w1 bounces, but it was written)
            writer.send("<message type='chat' to='sl-spammer@localhost/s' id='w1'><body>hello?</body></message>");
            answerTo(writer, "w1");
            spammer.send("<message type='chat' to='sl-target5@localhost/w' id='r1'><body>a reply</body></message>");
            assertThat(answerTo(writer, "r1").attr("type")).isEqualTo("chat");
            alice.chatWith(bob, "still chatting");
        }
    }
}
