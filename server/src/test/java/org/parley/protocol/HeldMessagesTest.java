package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.commands.AdHocCommand;
import org.jivesoftware.smackx.commands.AdHocCommandManager;
import org.jivesoftware.smackx.commands.RemoteCommand;
import org.jivesoftware.smackx.delay.packet.DelayInformation;
import org.jivesoftware.smackx.xdata.FormFieldWithOptions;
import org.jivesoftware.smackx.xdata.form.FillableForm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.impl.JidCreate;
import org.parley.testing.MessageInbox;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;

/**
 * strangers.policy {@code hold}: a stranger's messages are held, not delivered; the user lists
 * them with the ad-hoc command and delivers them (with their delay stamps) or discards them; a
 * delivered sender is known from then on; past strangers.maxHeldPerUser a stranger's message is
 * refused. Two contacts keep chatting.
 */
class HeldMessagesTest {
    private static final String NODE = "urn:parley:strangers#held";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of(
            "PARLEY_STRANGERS_POLICY", "hold",
            "PARLEY_STRANGERS_MAX_HELD_PER_USER", "3"));

    private static RemoteCommand held(MessageInbox user) {
        return AdHocCommandManager.getAddHocCommandsManager(user.connection())
                .getRemoteCommand(JidCreate.domainBareFromOrThrowUnchecked("localhost"), NODE);
    }

    private static void send(RawStreamClient from, String to, String id, String body) throws Exception {
        from.send("<message type='chat' to='" + to + "' id='" + id + "'><body>" + body + "</body></message>");
    }

    @Test
    void heldMessagesAreListedThenDeliveredAndTheSenderIsKnownFromThen() throws Exception {
        StrangersPolicyTest.contacts(server, "hd-alice", "hd-bob");
        try (MessageInbox alice = server.inbox("hd-alice", "a");
             MessageInbox bob = server.inbox("hd-bob", "b");
             MessageInbox victim = server.inbox("hd-victim", "v");
             RawStreamClient stranger = server.bound("hd-stranger", "s");
             RawStreamClient other = server.bound("hd-other", "o")) {
            send(stranger, "hd-victim@localhost", "h1", "first");
            send(stranger, "hd-victim@localhost", "h2", "second");
            send(other, "hd-victim@localhost", "o1", "unwanted");
            stranger.send("<iq type='get' id='sync' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
            stranger.expect(e -> "sync".equals(e.attr("id")), "the ping's answer");
            assertThat(stranger.quietFor(Duration.ofMillis(100))).as("held, not refused").isTrue();
            assertThat(victim.poll(Duration.ofMillis(300))).as("nothing held is delivered").isNull();

            RemoteCommand cmd = held(victim);
            cmd.execute();
            assertThat(cmd.getStatus()).isEqualTo(AdHocCommand.Status.executing);
            var senders = ((FormFieldWithOptions) cmd.getForm().getField("senders")).getOptions();
            // Two senders on two connections: either may have been held first.
            assertThat(senders).extracting(o -> o.getValueString())
                    .containsExactlyInAnyOrder("hd-stranger@localhost", "hd-other@localhost");
            assertThat(senders).filteredOn(o -> o.getValueString().equals("hd-stranger@localhost"))
                    .singleElement().satisfies(o -> assertThat(o.getLabel()).contains("2 messages"));
            FillableForm form = new FillableForm(cmd.getForm());
            form.setAnswer("senders", List.of("hd-stranger@localhost"));
            form.setAnswer("action", "deliver");
            cmd.complete(form);
            assertThat(cmd.getStatus()).isEqualTo(AdHocCommand.Status.completed);
            assertThat(cmd.getNotes().get(0).getValue()).isEqualTo("Delivered 2 messages.");
            Message first = victim.next();
            Message second = victim.next();
            assertThat(List.of(first.getBody(), second.getBody())).containsExactly("first", "second");
            assertThat(first.getFrom().toString()).isEqualTo("hd-stranger@localhost/s");
            assertThat(DelayInformation.from(first)).as("stamped when held").isNotNull();

            // The stranger is known now: the next message arrives at once.
            send(stranger, "hd-victim@localhost", "h3", "third");
            assertThat(victim.next().getBody()).isEqualTo("third");

            // The other sender's message is discarded; then nothing is held.
            RemoteCommand discard = held(victim);
            discard.execute();
            FillableForm f2 = new FillableForm(discard.getForm());
            f2.setAnswer("senders", List.of("hd-other@localhost"));
            f2.setAnswer("action", "discard");
            discard.complete(f2);
            assertThat(discard.getNotes().get(0).getValue()).isEqualTo("Discarded 1 message.");
            RemoteCommand none = held(victim);
            none.execute();
            assertThat(none.getStatus()).isEqualTo(AdHocCommand.Status.completed);
            assertThat(none.getNotes().get(0).getValue()).contains("No messages");
            assertThat(victim.poll(Duration.ofMillis(200))).isNull();
            alice.chatWith(bob, "still chatting");
        }
    }

    @Test
    void pastTheHeldLimitAStrangerIsRefused() throws Exception {
        StrangersPolicyTest.contacts(server, "hl-alice", "hl-bob");
        server.account("hl-victim");
        try (MessageInbox alice = server.inbox("hl-alice", "a");
             MessageInbox bob = server.inbox("hl-bob", "b");
             RawStreamClient stranger = server.bound("hl-stranger", "s")) {
            for (int i = 1; i <= 4; i++) {
                send(stranger, "hl-victim@localhost", "x" + i, "spam " + i);
            }
            Element refused = stranger.expect(e -> e.is("message", Namespaces.CLIENT), "a refusal");
            assertThat(refused.attr("id")).as("three held, the fourth refused").isEqualTo("x4");
            assertThat(RawStreamClient.stanzaErrorCondition(refused)).isEqualTo("policy-violation");
            Integer held = server.database().jdbc().read("count", c -> {
                try (var ps = c.prepareStatement("SELECT COUNT(*) FROM held_messages WHERE owner = 'hl-victim'");
                     var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            });
            assertThat(held).isEqualTo(3);
            alice.chatWith(bob, "still chatting");
        }
    }
}
