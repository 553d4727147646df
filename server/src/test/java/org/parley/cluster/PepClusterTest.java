package org.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.protocol.PepClients.awaitCapsKnown;
import static org.parley.protocol.PepClients.collectEvents;
import static org.parley.protocol.PepClients.ids;
import static org.parley.protocol.PepClients.interestedIn;
import static org.parley.protocol.PepClients.publish;

import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.vcardtemp.VCardManager;
import org.jivesoftware.smackx.vcardtemp.packet.VCard;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.parley.Server;
import org.parley.store.RosterItem;
import org.parley.store.Subscription;
import org.parley.xml.Element;

/** PEP across cluster nodes: notifications and last items reach resources on other nodes, caps verified on one node serve all. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PepClusterTest {
    private static final String NODE = "urn:parley:test:cluster";
    @TempDir
    static Path dir;
    ClusterTestNodes cluster;
    Server a;
    Server b;

    @BeforeAll
    void start() {
        cluster = ClusterTestNodes.create(dir);
        a = cluster.start("a");
        b = cluster.start("b");
        cluster.createUsers("alice", "bob", "carol", "dave");
        a.stores().roster().put("alice", RosterItem.of("bob@localhost").withSubscription(Subscription.BOTH));
        a.stores().roster().put("bob", RosterItem.of("alice@localhost").withSubscription(Subscription.BOTH));
        a.stores().roster().put("carol", RosterItem.of("dave@localhost").withSubscription(Subscription.BOTH));
        a.stores().roster().put("dave", RosterItem.of("carol@localhost").withSubscription(Subscription.BOTH));
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private XMPPTCPConnection login(Server node, String user, String resource, BlockingQueue<Element> events)
            throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(cluster.clients(node).builder()
                .setUsernameAndPassword(user, user + "-pw").setResource(resource).build());
        c.setReplyTimeout(5000);
        c.connect();
        interestedIn(NODE).accept(c);
        collectEvents(events).accept(c);
        c.login();
        return c;
    }

    private static Element next(BlockingQueue<Element> q) throws InterruptedException {
        Element e = q.poll(5, TimeUnit.SECONDS);
        assertThat(e).as("a notification within 5 s").isNotNull();
        return e;
    }

    @Test
    void notificationsAndLastItemsCrossNodes() throws Exception {
        BlockingQueue<Element> aliceEvents = new LinkedBlockingQueue<>();
        BlockingQueue<Element> bobEvents = new LinkedBlockingQueue<>();
        BlockingQueue<Element> bob2Events = new LinkedBlockingQueue<>();
        XMPPTCPConnection alice = login(a, "alice", "phone", aliceEvents);
        XMPPTCPConnection bob = login(b, "bob", "laptop", bobEvents);
        XMPPTCPConnection bob2 = null;
        try {
            awaitCapsKnown(b.database(), bob);
            awaitCapsKnown(a.database(), alice);

            publish(alice, NODE, "one", "<s xmlns='" + NODE + "'>1</s>", null);

            Element seen = next(bobEvents);
            assertThat(ids(seen)).containsExactly("one");
            assertThat(seen.attr("from")).isEqualTo("alice@localhost");
            assertThat(ids(next(aliceEvents))).containsExactly("one");

            // A second resource of bob's, on alice's node: its caps (same ver) are already known.
            bob2 = login(a, "bob", "tablet", bob2Events);
            assertThat(ids(next(bob2Events))).containsExactly("one");
        } finally {
            alice.disconnect();
            bob.disconnect();
            if (bob2 != null) {
                bob2.disconnect();
            }
        }
    }

    /**
     * XEP-0398 presence across nodes: dave's node has already stamped carol's presence (and cached
     * that she has no avatar) when carol sets a vCard photo on the other node; her next presence
     * must carry the new hash at once, not when that cache entry expires.
     */
    @Test
    void aVCardPhotoSetOnOneNodeIsStampedIntoPresenceOnAnother() throws Exception {
        BlockingQueue<Presence> fromCarol = new LinkedBlockingQueue<>();
        XMPPTCPConnection carol = login(a, "carol", "legacy", new LinkedBlockingQueue<>());
        XMPPTCPConnection dave = new XMPPTCPConnection(cluster.clients(b).builder()
                .setUsernameAndPassword("dave", "dave-pw").setResource("d").build());
        try {
            dave.setReplyTimeout(5000);
            dave.connect();
            dave.addSyncStanzaListener(s -> fromCarol.add((Presence) s),
                    s -> s instanceof Presence && s.getFrom() != null && s.getFrom().toString().startsWith("carol@"));
            dave.login();
            carol.sendStanza(carol.getStanzaFactory().buildPresenceStanza().setStatus("before").build());
            assertThat(photo(nextPresence(fromCarol, "before"))).isNull();
            byte[] image = {(byte) 0x89, 'P', 'N', 'G', 9, 8, 7};
            VCard card = new VCard();
            card.setAvatar(image, "image/png");

            VCardManager.getInstanceFor(carol).saveVCard(card);
            carol.sendStanza(carol.getStanzaFactory().buildPresenceStanza().setStatus("after").build());

            String id = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-1").digest(image));
            assertThat(photo(nextPresence(fromCarol, "after"))).isEqualTo(id);
        } finally {
            carol.disconnect();
            dave.disconnect();
        }
    }

    /** The next presence with this status: the login broadcast and the probe answer come before it, in any order. */
    private static Presence nextPresence(BlockingQueue<Presence> q, String status) throws InterruptedException {
        while (true) {
            Presence p = q.poll(5, TimeUnit.SECONDS);
            assertThat(p).as("a presence with status %s within 5 s", status).isNotNull();
            if (status.equals(p.getStatus())) {
                return p;
            }
        }
    }

    private static String photo(Presence p) {
        StandardExtensionElement x = (StandardExtensionElement) p.getExtensionElement("x", "vcard-temp:x:update");
        return x == null || x.getFirstElement("photo") == null ? null : x.getFirstElement("photo").getText();
    }
}
