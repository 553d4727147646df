package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.MessageInbox;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;

/**
 * The caps on what one account may hold, each with its RFC error: resources bound at once
 * (resource-constraint, RFC 6120 §7.6.2.1), roster items (not-allowed), unanswered outbound
 * subscription requests (policy-violation), unanswered inbound ones kept; and a repeated
 * subscription request is not delivered again (RFC 6121 §3.1.3). Two clients keep chatting.
 */
class AccountCapsTest {

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of(
            "PARLEY_C2S_MAX_SESSIONS_PER_ACCOUNT", "2",
            "PARLEY_ROSTER_MAX_ITEMS", "5",
            "PARLEY_ROSTER_MAX_PENDING_OUT", "3",
            "PARLEY_ROSTER_MAX_PENDING_IN", "2"));



    private static String rosterSet(RawStreamClient c, String jid) throws Exception {
        c.send("<iq type='set' id='rs-" + jid + "'><query xmlns='jabber:iq:roster'><item jid='" + jid
                + "'/></query></iq>");
        Element reply = c.expect(e -> e.is("iq", Namespaces.CLIENT) && ("rs-" + jid).equals(e.attr("id")), "roster reply");
        return "result".equals(reply.attr("type")) ? "result" : RawStreamClient.stanzaErrorCondition(reply);
    }

    @Test
    void anAccountBindsAtMostItsSessionsButMayReplaceOne() throws Exception {
        try (MessageInbox alice = server.inbox("cap-alice", "a");
             MessageInbox bob = server.inbox("cap-bob", "b");
             RawStreamClient one = server.bound("many", "one");
             RawStreamClient two = server.bound("many", "two");
             RawStreamClient three = RawStreamClient.directTls(server.get())) {
            three.openAndReadFeatures("localhost");
            assertThat(three.authPlain("many", ServerExtension.password("many")).name()).isEqualTo("success");
            three.restart("localhost");
            Element refused = three.bind("three");
            assertThat(refused.attr("type")).isEqualTo("error");
            assertThat(RawStreamClient.stanzaErrorCondition(refused)).isEqualTo("resource-constraint");
            assertThat(refused.element("error", Namespaces.CLIENT).attr("type")).isEqualTo("wait");
            Element replacing = three.bind("two");
            assertThat(replacing.attr("type")).as("a resource may still be replaced").isEqualTo("result");
            assertThat(two.expectStreamError()).isEqualTo("conflict");
            alice.chatWith(bob, "still chatting");
        }
    }

    @Test
    void aRepeatedSubscriptionRequestIsDeliveredOnce() throws Exception {
        try (MessageInbox alice = server.inbox("rep-alice", "a");
             MessageInbox bob = server.inbox("rep-bob", "b");
             RawStreamClient victim = server.bound("rep-victim", "v");
             RawStreamClient spammer = server.bound("rep-spammer", "s")) {
            victim.send("<presence/>");
            for (int i = 0; i < 20; i++) {
                spammer.send("<presence type='subscribe' to='rep-victim@localhost'/>");
            }
            spammer.send("<message type='chat' to='rep-victim@localhost/v'><body>done</body></message>");
            int requests = 0;
            while (true) {
                Element e = victim.expect(x -> x.is("presence", Namespaces.CLIENT) || x.is("message", Namespaces.CLIENT),
                        "the request or the message");
                if (e.is("message", Namespaces.CLIENT)) {
                    break;
                }
                if ("subscribe".equals(e.attr("type"))) {
                    requests++;
                }
            }
            assertThat(requests).isEqualTo(1);
            alice.chatWith(bob, "still chatting");
        }
    }

    @Test
    void rosterItemsAndPendingRequestsAreCapped() throws Exception {
        for (String u : List.of("pend1", "pend2", "pend3", "pend4", "in1", "in2", "in3", "quiet")) {
            server.account(u);
        }
        try (MessageInbox alice = server.inbox("rc-alice", "a");
             MessageInbox bob = server.inbox("rc-bob", "b");
             RawStreamClient c = server.bound("rc-collector", "c")) {
            for (int i = 1; i <= 3; i++) {
                c.send("<presence type='subscribe' to='pend" + i + "@localhost'/>");
            }
            c.send("<presence type='subscribe' to='pend4@localhost' id='p4'/>");
            Element bounced = c.expect(e -> e.is("presence", Namespaces.CLIENT) && "error".equals(e.attr("type")),
                    "the bounced fourth request");
            assertThat(RawStreamClient.stanzaErrorCondition(bounced)).isEqualTo("policy-violation");
            assertThat(server.stores().roster().item("rc-collector", "pend4@localhost")).isEmpty();
            assertThat(rosterSet(c, "x1@localhost")).isEqualTo("result");
            assertThat(rosterSet(c, "x2@localhost")).isEqualTo("result");
            assertThat(rosterSet(c, "x3@localhost")).as("five items: full").isEqualTo("not-allowed");
            assertThat(rosterSet(c, "x2@localhost")).as("an existing item still changes").isEqualTo("result");
            assertThat(server.stores().roster().items("rc-collector")).hasSize(5);
            alice.chatWith(bob, "still chatting");
        }
        // Requests to an account kept until it answers: two, the third from a new sender dropped.
        List<RawStreamClient> senders = new ArrayList<>();
        try {
            for (String u : List.of("in1", "in2", "in3")) {
                RawStreamClient s = server.bound(u, "s");
                senders.add(s);
                s.send("<presence type='subscribe' to='quiet@localhost'/>");
                s.send("<iq type='get' id='ping' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
                s.expect(e -> "ping".equals(e.attr("id")), "the ping's answer");
            }
            assertThat(server.stores().roster().pendingIn("quiet")).extracting(p -> p.from())
                    .containsExactly("in1@localhost", "in2@localhost");
        } finally {
            senders.forEach(RawStreamClient::close);
        }
    }
}
