package org.parley.protocol;

import org.parley.feature.offline.SqlOfflineStore;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.MessageInbox;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.testing.TestServer;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;

/**
 * XEP-0198 on the wire, where exact counts and conditions matter: enabling, acks both ways,
 * resumption with retransmission, and the failures of §3-§5.
 */
class StreamManagementRawTest {
    private static final String SM = "urn:xmpp:sm:3";
    private static final String STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();

    private static RawStreamClient bound(String user, String resource) throws Exception {
        server.account(user);
        return RawStreamClient.loggedIn(server.get(), user, ServerExtension.password(user), resource);
    }

    /** Authenticated, stream restarted, not bound: where a resumption is sent. */
    private static RawStreamClient authenticated(String user) throws Exception {
        server.account(user);
        RawStreamClient c = RawStreamClient.directTls(server.get());
        c.openAndReadFeatures(TestServer.DOMAIN);
        assertThat(c.authPlain(user, ServerExtension.password(user)).name()).isEqualTo("success");
        Element features = c.restart(TestServer.DOMAIN);
        assertThat(features.element("sm", SM)).as("sm offered after authentication").isNotNull();
        return c;
    }

    private static Element sm(RawStreamClient c, String name) {
        return c.expect(e -> e.is(name, SM), "<" + name + "/>");
    }

    private static Element enable(RawStreamClient c, String attrs) throws Exception {
        c.send("<enable xmlns='" + SM + "' " + attrs + "/>");
        return sm(c, "enabled");
    }

    private static Element message(RawStreamClient c, String body) {
        return c.expect(e -> e.is("message", Namespaces.CLIENT) && body.equals(e.childText("body", Namespaces.CLIENT)),
                "message " + body);
    }

    /** §3: {@code <enable/>} before authentication fails with unexpected-request; the stream goes on. */
    @Test
    void enableBeforeAuthenticationFailsAndTheStreamStaysOpen() throws Exception {
        server.account("early-enable");
        try (RawStreamClient c = RawStreamClient.directTls(server.get())) {
            c.openAndReadFeatures(TestServer.DOMAIN);
            c.send("<enable xmlns='" + SM + "' resume='true'/>");

            Element failed = c.element();
            assertThat(failed.is("failed", SM)).as(failed.toXml()).isTrue();
            assertThat(failed.elements()).singleElement()
                    .satisfies(e -> assertThat(e.is("unexpected-request", STANZAS)).isTrue());
            // the same stream authenticates, binds and enables as usual
            assertThat(c.authPlain("early-enable", ServerExtension.password("early-enable")).name()).isEqualTo("success");
            c.restart(TestServer.DOMAIN);
            assertThat(c.bind("r").attr("type")).isEqualTo("result");
            assertThat(enable(c, "resume='true'").attr("resume")).isEqualTo("true");
        }
    }

    @Test
    void enabledCarriesIdAndWindowAndAcksCountHandledStanzas() throws Exception {
        try (RawStreamClient alice = bound("ack-alice", "r")) {
            Element enabled = enable(alice, "resume='true'");
            assertThat(enabled.attr("id")).isNotBlank();
            assertThat(enabled.attr("resume")).isEqualTo("true");
            assertThat(enabled.attr("max")).isEqualTo("300");

            alice.send("<r xmlns='" + SM + "'/>");
            assertThat(sm(alice, "a").attr("h")).isEqualTo("0");
            alice.send("<message to='ack-bob@localhost' type='chat'><body>1</body></message>"
                    + "<iq type='get' id='p1'><ping xmlns='urn:xmpp:ping'/></iq>"
                    + "<message to='ack-bob@localhost' type='chat'><body>2</body></message>"
                    + "<r xmlns='" + SM + "'/>");
            assertThat(sm(alice, "a").attr("h")).isEqualTo("3");
        }
    }

    @Test
    void theClientMayAskForAShorterWindowButNotALongerOneThanTheMaximum() throws Exception {
        try (RawStreamClient a = bound("max-alice", "a"); RawStreamClient b = bound("max-alice", "b")) {
            assertThat(enable(a, "resume='true' max='60'").attr("max")).isEqualTo("60");
            assertThat(enable(b, "resume='true' max='100000'").attr("max")).isEqualTo("600");
        }
    }

    @Test
    void enableBeforeBindOrTwiceFailsWithUnexpectedRequest() throws Exception {
        try (RawStreamClient c = authenticated("twice-alice")) {
            c.send("<enable xmlns='" + SM + "'/>");
            assertThat(sm(c, "failed").elementIn(STANZAS).name()).isEqualTo("unexpected-request");
        }
        try (RawStreamClient c = bound("twice-alice", "r")) {
            Element enabled = enable(c, "");
            assertThat(enabled.attr("id")).as("no id without resume").isNull();
            c.send("<enable xmlns='" + SM + "'/>");
            assertThat(sm(c, "failed").elementIn(STANZAS).name()).isEqualTo("unexpected-request");
        }
    }

    @Test
    void anAckForMoreThanWasSentEndsTheStream() throws Exception {
        try (RawStreamClient c = bound("high-alice", "r")) {
            enable(c, "");
            c.send("<a xmlns='" + SM + "' h='5'/>");
            Element error = c.element();
            assertThat(error.is("error", Namespaces.STREAMS)).isTrue();
            assertThat(error.elementIn(Namespaces.STREAM_ERRORS).name()).isEqualTo("undefined-condition");
            Element detail = error.element("handled-count-too-high", SM);
            assertThat(detail.attr("h")).isEqualTo("5");
            assertThat(detail.attr("send-count")).isEqualTo("0");
            c.expectClosed();
        }
    }

    @Test
    void aDroppedConnectionIsResumedWithExactlyTheUnackedStanzasSentAgain() throws Exception {
        RawStreamClient phone = bound("res-alice", "phone");
        String id = enable(phone, "resume='true'").attr("id");
        try (MessageInbox bob = server.inbox("res-bob", "b")) {
            bob.sendChat("res-alice@localhost/phone", "one");
            bob.sendChat("res-alice@localhost/phone", "two");
            message(phone, "one");
            message(phone, "two");
            phone.send("<message to='res-bob@localhost' type='chat'><body>from phone</body></message>");
            assertThat(bob.next().getBody()).isEqualTo("from phone");
            phone.send("<a xmlns='" + SM + "' h='1'/>"); // "one" handled, "two" not
            bob.sync();
            phone.close(); // no </stream:stream>: the network went away
            bob.sendChat("res-alice@localhost/phone", "three");
            bob.sync();

            try (RawStreamClient back = authenticated("res-alice")) {
                back.send("<resume xmlns='" + SM + "' previd='" + id + "' h='1'/>");
                Element resumed = sm(back, "resumed");
                assertThat(resumed.attr("previd")).isEqualTo(id);
                assertThat(resumed.attr("h")).as("the server handled the one stanza the phone sent").isEqualTo("1");
                Element two = back.element();
                assertThat(two.childText("body", Namespaces.CLIENT)).isEqualTo("two");
                assertThat(two.element("delay", "urn:xmpp:delay")).as("XEP-0203 on a retransmission").isNotNull();
                assertThat(back.element().childText("body", Namespaces.CLIENT)).isEqualTo("three");

                back.send("<message to='res-bob@localhost' type='chat'><body>resumed</body></message>"
                        + "<r xmlns='" + SM + "'/>");
                assertThat(bob.next().getBody()).isEqualTo("resumed");
                assertThat(sm(back, "a").attr("h")).isEqualTo("2");
                bob.sendChat("res-alice@localhost/phone", "four");
                assertThat(message(back, "four").element("delay", "urn:xmpp:delay")).isNull();
                back.send("<a xmlns='" + SM + "' h='4'/><r xmlns='" + SM + "'/>");
                assertThat(sm(back, "a").attr("h")).isEqualTo("2");
            }
        }
    }

    @Test
    void aResumptionReplacesAConnectionThatIsStillOpen() throws Exception {
        try (RawStreamClient old = bound("open-alice", "r")) {
            String id = enable(old, "resume='true'").attr("id");
            try (RawStreamClient back = authenticated("open-alice")) {
                back.send("<resume xmlns='" + SM + "' previd='" + id + "' h='0'/>");
                assertThat(sm(back, "resumed").attr("h")).isEqualTo("0");
                assertThat(old.expectStreamError()).isEqualTo("conflict");
                back.send("<iq type='get' id='p2'><ping xmlns='urn:xmpp:ping'/></iq>");
                assertThat(back.expect(e -> "p2".equals(e.attr("id")), "ping result").attr("type")).isEqualTo("result");
            }
        }
    }

    @Test
    void unknownPrevidOrAnotherUsersSessionFailsWithItemNotFound() throws Exception {
        String id;
        try (RawStreamClient owner = bound("nf-alice", "r")) {
            id = enable(owner, "resume='true'").attr("id");
            try (RawStreamClient other = authenticated("nf-mallory")) {
                other.send("<resume xmlns='" + SM + "' previd='" + id + "' h='0'/>");
                assertThat(sm(other, "failed").elementIn(STANZAS).name()).isEqualTo("item-not-found");
                // After a failed resumption the client binds as usual.
                assertThat(other.bind("r").attr("type")).isEqualTo("result");
            }
            owner.send("<r xmlns='" + SM + "'/>");
            assertThat(sm(owner, "a").attr("h")).as("the owner's stream is untouched").isEqualTo("0");
        }
        try (RawStreamClient c = authenticated("nf-alice")) {
            c.send("<resume xmlns='" + SM + "' previd='no-such-id' h='0'/>");
            assertThat(sm(c, "failed").elementIn(STANZAS).name()).isEqualTo("item-not-found");
        }
    }

    @Test
    void aResumptionAcknowledgingMoreThanWasSentFails() throws Exception {
        RawStreamClient phone = bound("rh-alice", "r");
        String id = enable(phone, "resume='true'").attr("id");
        phone.close();
        try (RawStreamClient back = authenticated("rh-alice")) {
            back.send("<resume xmlns='" + SM + "' previd='" + id + "' h='7'/>");
            Element failed = sm(back, "failed");
            assertThat(failed.elementIn(STANZAS).name()).isEqualTo("undefined-condition");
            assertThat(failed.element("handled-count-too-high", SM).attr("send-count")).isEqualTo("0");
        }
    }

    @Test
    void unackedMessagesOfASessionThatEndsGoToOfflineStorageAndIqsAreAnswered() throws Exception {
        RawStreamClient alice = bound("end-alice", "r");
        enable(alice, ""); // no resumption: the session ends with its stream
        try (MessageInbox bob = server.inbox("end-bob", "b")) {
            bob.sendChat("end-alice@localhost/r", "unacked");
            message(alice, "unacked");
            bob.connection().sendStanza(bob.connection().getStanzaFactory().buildMessageStanza()
                    .to(org.jxmpp.jid.impl.JidCreate.from("end-alice@localhost/r")).setBody("second").build());
            message(alice, "second");
            alice.send("<a xmlns='" + SM + "' h='1'/></stream:stream>");
            ImClients.eventually("the unacknowledged message is stored",
                    () -> new SqlOfflineStore(server.database()).count("end-alice") == 1);
            assertThat(new SqlOfflineStore(server.database()).fetch("end-alice", 10).get(0).stanzaXml()).contains("second");
        }
        alice.close();
    }

    @Test
    void anIqWaitingForADetachedSessionIsAnsweredWithAnErrorWhenTheWindowCloses() throws Exception {
        RawStreamClient alice = bound("iq-alice", "r");
        enable(alice, "resume='true' max='1'");
        alice.close();
        try (MessageInbox bob = server.inbox("iq-bob", "b")) {
            org.jivesoftware.smackx.ping.packet.Ping ping =
                    new org.jivesoftware.smackx.ping.packet.Ping(org.jxmpp.jid.impl.JidCreate.from("iq-alice@localhost/r"));
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> bob.connection().sendIqRequestAndWaitForResponse(ping))
                    .isInstanceOfSatisfying(org.jivesoftware.smack.XMPPException.XMPPErrorException.class,
                            e -> assertThat(e.getStanzaError().getCondition())
                                    .isEqualTo(org.jivesoftware.smack.packet.StanzaError.Condition.service_unavailable));
        }
    }

    @Test
    void whatClientStateIndicationHeldSurvivesADropAndComesOnActive() throws Exception {
        server.account("csi-bob");
        server.stores().roster().put("csi-bob", org.parley.store.RosterItem.of("csi-alice@localhost")
                .withSubscription(org.parley.store.Subscription.BOTH));
        server.account("csi-alice");
        server.stores().roster().put("csi-alice", org.parley.store.RosterItem.of("csi-bob@localhost")
                .withSubscription(org.parley.store.Subscription.BOTH));
        RawStreamClient phone = bound("csi-alice", "phone");
        String id = enable(phone, "resume='true'").attr("id");
        phone.send("<presence/><inactive xmlns='urn:xmpp:csi:0'/><iq type='get' id='s1'><ping xmlns='urn:xmpp:ping'/></iq>");
        phone.expect(e -> "s1".equals(e.attr("id")), "ping result");
        try (MessageInbox bob = server.inbox("csi-bob", "b")) {
            bob.connection().sendStanza(bob.connection().getStanzaFactory().buildPresenceStanza()
                    .setStatus("held for alice").build());
            bob.sync();
            // Not an IQ: an answer to one would take the held presence along (it goes first, in order).
            phone.send("<r xmlns='" + SM + "'/>");
            Element next = phone.expect(e -> !e.is("r", SM), "anything but an ack request");
            assertThat(next.name()).as("the presence is held, not sent: %s", next.toXml()).isEqualTo("a");
            phone.close();
            try (RawStreamClient back = authenticated("csi-alice")) {
                back.send("<resume xmlns='" + SM + "' previd='" + id + "' h='0'/>");
                sm(back, "resumed");
                back.send("<active xmlns='urn:xmpp:csi:0'/>");
                Element p = back.expect(e -> e.is("presence", Namespaces.CLIENT) && "held for alice".equals(
                        e.childText("status", Namespaces.CLIENT)), "the held presence");
                assertThat(p.attr("from")).isEqualTo("csi-bob@localhost/b");
            }
        }
    }

    // A burst to a client that asks for an ack after every message and acknowledges every hundred:
    // far more than sm.maxUnacked is queued at times (it is still on its way), and the session must
    // neither stall nor end while acknowledgements keep coming.
    @Test
    void ackRequestsRacingDeliveriesNeverStallTheSession() throws Exception {
        int each = 1500;
        try (RawStreamClient alice = bound("race-alice", "r"); MessageInbox bob = server.inbox("race-bob", "b");
             MessageInbox carl = server.inbox("race-carl", "c")) {
            enable(alice, "");
            // Alice's one writer: an ack request for every message, an ack for every hundred.
            AtomicReference<Object> ended = new AtomicReference<>();
            Thread reader = Thread.ofVirtual().start(() -> {
                int messages = 0;
                while (messages < 2 * each) {
                    Object item = alice.next();
                    if (item == null || item instanceof Element x && x.is("error", Namespaces.STREAMS)) {
                        ended.set("after " + messages + " messages: " + (item == null ? "closed" : item));
                        return;
                    }
                    if (item instanceof Element e && e.is("message", Namespaces.CLIENT)) {
                        messages++;
                        alice.sendQuietly("<r xmlns='" + SM + "'/>"
                                + (messages % 100 == 0 ? "<a xmlns='" + SM + "' h='" + messages + "'/>" : ""));
                    }
                }
            });
            Thread other = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < each; i++) {
                        carl.sendChat("race-alice@localhost/r", "c" + i);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            for (int i = 0; i < each; i++) {
                bob.sendChat("race-alice@localhost/r", "b" + i);
            }
            other.join();
            bob.sync();
            carl.sync();
            reader.join(30_000);
            assertThat(ended.get()).as("alice's stream ended").isNull();
            assertThat(reader.isAlive()).as("alice got every message").isFalse();
            alice.send("<iq type='get' id='alive'><ping xmlns='urn:xmpp:ping'/></iq>");
            assertThat(alice.expect(e -> "alive".equals(e.attr("id")), "the ping answer").attr("type"))
                    .isEqualTo("result");
        }
    }
}
