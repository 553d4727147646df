package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.protocol.ImClients.answering;
import static org.parley.protocol.ImClients.bare;
import static org.parley.protocol.ImClients.closeAll;
import static org.parley.protocol.ImClients.eventually;
import static org.parley.protocol.ImClients.next;
import static org.parley.protocol.ImClients.none;
import static org.parley.protocol.ImClients.presences;
import static org.parley.protocol.ImClients.presencesFrom;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.SubscribeListener.SubscribeAnswer;
import org.jivesoftware.smack.roster.packet.RosterPacket.ItemType;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.parley.testing.RawStreamClient;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.store.Subscription;
import org.parley.testing.ServerExtension;

/** RFC 6121 §3: requesting, approving, pre-approving, cancelling and unsubscribing presence subscriptions. */
class SubscriptionTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();
    static final ImClients im = new ImClients(server);

    private static void send(XMPPTCPConnection c, Presence.Type type, String to) throws Exception {
        c.sendStanza(c.getStanzaFactory().buildPresenceStanza().ofType(type).to(bare(to)).build());
    }

    private static void awaitEntry(XMPPTCPConnection c, String contact, ItemType type, boolean pending)
            throws InterruptedException {
        Roster roster = Roster.getInstanceFor(c);
        try {
            eventually(c.getUser() + "'s roster shows " + contact + " as " + type + (pending ? " pending" : ""), () -> {
                RosterEntry e = roster.getEntry(bare(contact));
                return e != null && e.getType() == type && e.isSubscriptionPending() == pending;
            });
        } catch (AssertionError e) {
            RosterEntry now = roster.getEntry(bare(contact));
            throw new AssertionError(e.getMessage() + "; it shows " + (now == null ? "nothing"
                    : now.getType() + (now.isSubscriptionPending() ? " pending" : "")), e);
        }
    }

    private static void awaitAvailable(XMPPTCPConnection c, String contact, boolean available)
            throws InterruptedException {
        Roster roster = Roster.getInstanceFor(c);
        eventually(c.getUser() + " sees " + contact + (available ? " available" : " unavailable"),
                () -> roster.getPresence(bare(contact)).isAvailable() == available);
    }

    /** Both have seen the other come online, so later presences are not mistaken for the initial ones. */
    private static void awaitEachOther(XMPPTCPConnection a, XMPPTCPConnection b) throws InterruptedException {
        awaitAvailable(a, b.getUser().getLocalpart().toString(), true);
        awaitAvailable(b, a.getUser().getLocalpart().toString(), true);
    }

    /** Bob's broadcast no longer reaches alice, while alice's still reaches bob. */
    private static void assertPresenceFlowsOnlyFromAliceToBob(XMPPTCPConnection alice, BlockingQueue<Presence> fromAlice,
            XMPPTCPConnection bob, BlockingQueue<Presence> fromBob) throws Exception {
        broadcast(bob, "bob busy");
        none(fromBob);
        broadcast(alice, "alice here");
        assertThat(next(fromAlice).getStatus()).isEqualTo("alice here");
    }

    /** An available presence with a status, broadcast to whoever is subscribed to {@code c}. */
    private static void broadcast(XMPPTCPConnection c, String status) throws Exception {
        c.sendStanza(c.getStanzaFactory().buildPresenceStanza().setStatus(status).build());
    }

    @Test
    void mutualSubscriptionEndsInBothWithPresenceSeenOnBothSides() throws Exception {
        im.users("m_alice", "m_bob");
        BlockingQueue<Presence> requestsAtBob = new LinkedBlockingQueue<>();
        XMPPTCPConnection alice = im.login("m_alice", "a", true, true,
                answering((from, p) -> SubscribeAnswer.Approve));
        XMPPTCPConnection bob = im.login("m_bob", "b", true, true, answering((from, p) -> {
            requestsAtBob.add(p);
            return SubscribeAnswer.ApproveAndAlsoRequestIfRequired;
        }));
        try {
            Roster.getInstanceFor(alice).createItemAndRequestSubscription(bare("m_bob"), "Bob", new String[] {"Friends"});

            Presence request = next(requestsAtBob);
            // §3.1.2: the user's server stamps the bare JID on the outbound request.
            assertThat(request.getFrom().toString()).isEqualTo("m_alice@localhost");

            awaitEntry(alice, "m_bob", ItemType.both, false);
            awaitEntry(bob, "m_alice", ItemType.both, false);
            RosterEntry bobAtAlice = Roster.getInstanceFor(alice).getEntry(bare("m_bob"));
            assertThat(bobAtAlice.getName()).isEqualTo("Bob");
            assertThat(bobAtAlice.getGroups()).extracting(g -> g.getName()).containsExactly("Friends");

            awaitEachOther(alice, bob);
            assertThat(Roster.getInstanceFor(alice).getPresence(bare("m_bob")).getFrom().toString())
                    .isEqualTo("m_bob@localhost/b");
        } finally {
            closeAll(alice, bob);
        }
    }

    @Test
    void requestToAnOfflineContactWaitsUntilTheContactIsAvailable() throws Exception {
        im.users("p_alice", "p_bob");
        XMPPTCPConnection alice = im.online("p_alice", "a");
        XMPPTCPConnection bob = null;
        try {
            Roster.getInstanceFor(alice).createItemAndRequestSubscription(bare("p_bob"), "Bob", null);
            awaitEntry(alice, "p_bob", ItemType.none, true);

            BlockingQueue<Presence> requests = new LinkedBlockingQueue<>();
            bob = im.login("p_bob", "b", true, false, answering((from, p) -> {
                requests.add(p);
                return null; // let the user decide
            }));
            // §3.1.3: requests go to available resources; bob has not sent initial presence yet.
            none(requests);
            bob.sendStanza(bob.getStanzaFactory().buildPresenceStanza().build());
            Presence request = next(requests);
            assertThat(request.getType()).isEqualTo(Presence.Type.subscribe);
            assertThat(request.getFrom().toString()).isEqualTo("p_alice@localhost");

            BlockingQueue<Presence> fromBob = presencesFrom(alice, "p_bob");
            send(bob, Presence.Type.subscribed, "p_alice");

            awaitEntry(alice, "p_bob", ItemType.to, false);
            awaitEntry(bob, "p_alice", ItemType.from, false);
            Presence subscribed = next(fromBob);
            assertThat(subscribed.getType()).isEqualTo(Presence.Type.subscribed);
            // §3.1.5: the contact's server then sends the contact's current presence.
            Presence available = next(fromBob);
            assertThat(available.getType()).isEqualTo(Presence.Type.available);
            assertThat(available.getFrom().toString()).isEqualTo("p_bob@localhost/b");
        } finally {
            closeAll(alice, bob);
        }
    }

    @Test
    void answeredRequestIsNotDeliveredAgainAtNextLogin() throws Exception {
        im.users("q_alice", "q_bob");
        im.relate("q_alice", "q_bob", Subscription.NONE);
        XMPPTCPConnection alice = im.online("q_alice", "a");
        try {
            send(alice, Presence.Type.subscribe, "q_bob");
            awaitEntry(alice, "q_bob", ItemType.none, true);
            BlockingQueue<Presence> first = new LinkedBlockingQueue<>();
            XMPPTCPConnection bob = im.login("q_bob", "b", true, true, answering((f, p) -> {
                first.add(p);
                return SubscribeAnswer.Deny;
            }));
            next(first);
            // §3.2: a denial clears the pending flag on the requester's side.
            awaitEntry(alice, "q_bob", ItemType.none, false);
            bob.disconnect();

            BlockingQueue<Presence> second = new LinkedBlockingQueue<>();
            XMPPTCPConnection again = im.login("q_bob", "b2", true, true, answering((f, p) -> {
                second.add(p);
                return null;
            }));
            none(second);
            again.disconnect();
        } finally {
            closeAll(alice);
        }
    }

    @Test
    void preApprovedSubscriptionIsApprovedWithoutAskingTheContact() throws Exception {
        im.users("a_alice", "a_bob");
        BlockingQueue<Presence> requestsAtBob = new LinkedBlockingQueue<>();
        XMPPTCPConnection bob = im.login("a_bob", "b", true, true, answering((f, p) -> {
            requestsAtBob.add(p);
            return null;
        }));
        XMPPTCPConnection alice = im.online("a_alice", "a");
        try {
            Roster bobs = Roster.getInstanceFor(bob);
            // §3.4: the server advertises pre-approval support as a stream feature.
            assertThat(bobs.isSubscriptionPreApprovalSupported()).isTrue();
            bobs.preApprove(bare("a_alice"));
            Roster rosterOfBob = bobs;
            eventually("bob's roster shows alice pre-approved", () -> {
                RosterEntry e = rosterOfBob.getEntry(bare("a_alice"));
                return e != null && e.isApproved() && e.getType() == ItemType.none;
            });

            BlockingQueue<Presence> fromBob = presencesFrom(alice, "a_bob");
            send(alice, Presence.Type.subscribe, "a_bob");

            assertThat(next(fromBob).getType()).isEqualTo(Presence.Type.subscribed);
            awaitEntry(alice, "a_bob", ItemType.to, false);
            eventually("bob's roster shows alice as from, no longer pre-approved", () -> {
                RosterEntry e = rosterOfBob.getEntry(bare("a_alice"));
                return e != null && e.getType() == ItemType.from && !e.isApproved();
            });
            awaitAvailable(alice, "a_bob", true);
            none(requestsAtBob);
        } finally {
            closeAll(alice, bob);
        }
    }

    @Test
    void repeatedRequestFromASubscriberIsAnsweredWithTheContactsCurrentPresence() throws Exception {
        im.users("r_alice", "r_bob");
        XMPPTCPConnection alice = im.online("r_alice", "a");
        XMPPTCPConnection bob = im.login("r_bob", "b", true, true, answering((f, p) -> SubscribeAnswer.Approve));
        try {
            Roster.getInstanceFor(alice).createItemAndRequestSubscription(bare("r_bob"), "Bob", null);
            awaitEntry(alice, "r_bob", ItemType.to, false);
            awaitAvailable(alice, "r_bob", true);
            broadcast(bob, "at my desk");
            eventually("alice sees bob's status", () ->
                    "at my desk".equals(Roster.getInstanceFor(alice).getPresence(bare("r_bob")).getStatus()));

            // A client that lost what it knew asks again. §3.1.3 has bob's server answer for bob;
            // alice's server drops that 'subscribed' (§3.1.6: she is subscribed already), and
            // bob's current presence spares her waiting for bob's next change.
            BlockingQueue<Presence> fromBob = presencesFrom(alice, "r_bob");
            send(alice, Presence.Type.subscribe, "r_bob");
            Presence current = next(fromBob);
            assertThat(current.getFrom().toString()).isEqualTo("r_bob@localhost/b");
            assertThat(current.getStatus()).isEqualTo("at my desk");

            // With bob offline the answer says so, rather than leaving alice guessing.
            bob.disconnect();
            assertThat(next(fromBob).getType()).isEqualTo(Presence.Type.unavailable);
            send(alice, Presence.Type.subscribe, "r_bob");
            Presence offline = next(fromBob);
            assertThat(offline.getType()).isEqualTo(Presence.Type.unavailable);
            assertThat(offline.getFrom().toString()).isEqualTo("r_bob@localhost");
            none(fromBob);
        } finally {
            closeAll(alice, bob);
        }
    }

    @Test
    void unsubscribeStopsTheContactsPresence() throws Exception {
        im.contacts("u_alice", "u_bob");
        XMPPTCPConnection alice = im.online("u_alice", "a");
        XMPPTCPConnection bob = im.online("u_bob", "b");
        try {
            awaitEachOther(alice, bob);
            BlockingQueue<Presence> fromBob = presencesFrom(alice, "u_bob");
            BlockingQueue<Presence> fromAlice = presencesFrom(bob, "u_alice");

            send(alice, Presence.Type.unsubscribe, "u_bob");

            // §3.3: alice no longer receives bob's presence; bob still receives alice's.
            awaitEntry(alice, "u_bob", ItemType.from, false);
            awaitEntry(bob, "u_alice", ItemType.to, false);
            assertThat(next(fromAlice).getType()).isEqualTo(Presence.Type.unsubscribe);
            Presence unavailable = next(fromBob);
            assertThat(unavailable.getType()).isEqualTo(Presence.Type.unavailable);
            assertThat(unavailable.getFrom().toString()).isEqualTo("u_bob@localhost/b");

            assertPresenceFlowsOnlyFromAliceToBob(alice, fromAlice, bob, fromBob);
        } finally {
            closeAll(alice, bob);
        }
    }

    @Test
    void unsubscribedCancelsTheContactsSubscription() throws Exception {
        im.contacts("c_alice", "c_bob");
        XMPPTCPConnection alice = im.online("c_alice", "a");
        XMPPTCPConnection bob = im.online("c_bob", "b");
        try {
            awaitEachOther(alice, bob);
            BlockingQueue<Presence> fromBob = presencesFrom(alice, "c_bob");
            BlockingQueue<Presence> fromAlice = presencesFrom(bob, "c_alice");

            // Bob cancels alice's subscription to his presence (§3.2).
            send(bob, Presence.Type.unsubscribed, "c_alice");

            awaitEntry(bob, "c_alice", ItemType.to, false);
            awaitEntry(alice, "c_bob", ItemType.from, false);
            java.util.List<Presence.Type> got = java.util.List.of(next(fromBob).getType(), next(fromBob).getType());
            assertThat(got).containsExactlyInAnyOrder(Presence.Type.unavailable, Presence.Type.unsubscribed);
            awaitAvailable(alice, "c_bob", false);

            assertPresenceFlowsOnlyFromAliceToBob(alice, fromAlice, bob, fromBob);
        } finally {
            closeAll(alice, bob);
        }
    }

    @Test
    void cancellingAOneWaySubscriptionLeavesNone() throws Exception {
        im.users("n_alice", "n_bob");
        im.relate("n_alice", "n_bob", Subscription.TO);
        im.relate("n_bob", "n_alice", Subscription.FROM);
        XMPPTCPConnection alice = im.online("n_alice", "a");
        XMPPTCPConnection bob = im.online("n_bob", "b");
        try {
            awaitAvailable(alice, "n_bob", true);
            send(alice, Presence.Type.unsubscribe, "n_bob");
            awaitEntry(alice, "n_bob", ItemType.none, false);
            awaitEntry(bob, "n_alice", ItemType.none, false);
            awaitAvailable(alice, "n_bob", false);
        } finally {
            closeAll(alice, bob);
        }
    }

    @Test
    void removingAContactCancelsBothDirections() throws Exception {
        im.contacts("x_alice", "x_bob");
        XMPPTCPConnection alice = im.online("x_alice", "a");
        XMPPTCPConnection bob = im.online("x_bob", "b");
        try {
            awaitAvailable(bob, "x_alice", true);
            BlockingQueue<Presence> atBob = presences(bob, p -> true);
            Roster rosterOfAlice = Roster.getInstanceFor(alice);
            rosterOfAlice.removeEntry(rosterOfAlice.getEntry(bare("x_bob")));

            // §2.5.2: the server sends unsubscribe and unsubscribed to the contact on the user's behalf.
            awaitEntry(bob, "x_alice", ItemType.none, false);
            awaitAvailable(bob, "x_alice", false);
            java.util.Set<Presence.Type> types = new java.util.HashSet<>();
            for (int i = 0; i < 3; i++) {
                types.add(next(atBob).getType());
            }
            assertThat(types).containsExactlyInAnyOrder(
                    Presence.Type.unsubscribe, Presence.Type.unsubscribed, Presence.Type.unavailable);
            assertThat(rosterOfAlice.getEntry(bare("x_bob"))).isNull();
        } finally {
            closeAll(alice, bob);
        }
    }

    /**
     * RFC 6121 §8.5.1: a subscription request to an account that does not exist is silently
     * ignored. The sender's server still records the request (§3.1.2: one roster push, ask
     * 'subscribe'), and no 'unsubscribed' or second push follows that would tell the sender the
     * account does not exist. Raw, so everything the sender receives is seen, in order.
     */
    @Test
    void subscriptionRequestToAnAccountThatDoesNotExistIsSilentlyIgnored() throws Exception {
        server.account("ghost-asker");
        try (RawStreamClient c = RawStreamClient.loggedIn(server.get(), "ghost-asker",
                ServerExtension.password("ghost-asker"), "r")) {
            c.send("<iq type='get' id='roster'><query xmlns='jabber:iq:roster'/></iq>");
            c.expect(e -> "roster".equals(e.attr("id")), "the roster");
            c.send("<presence type='subscribe' to='no-such-ghost@localhost'/>");
            c.send("<iq type='get' id='after' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");

            List<org.parley.xml.Element> received = new java.util.ArrayList<>();
            org.parley.xml.Element e;
            do {
                e = c.element();
                received.add(e);
            } while (!"after".equals(e.attr("id")));

            assertThat(received).hasSize(2);
            org.parley.xml.Element item = received.get(0).element("query", "jabber:iq:roster").elements().getFirst();
            assertThat(item.attr("jid")).isEqualTo("no-such-ghost@localhost");
            assertThat(item.attr("subscription")).isEqualTo("none");
            assertThat(item.attr("ask")).isEqualTo("subscribe");
            assertThat(c.quietFor(Duration.ofMillis(200))).isTrue();
        }
    }
}
