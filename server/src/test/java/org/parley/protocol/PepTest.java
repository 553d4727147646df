package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.parley.protocol.ImClients.bare;
import static org.parley.protocol.ImClients.closeAll;
import static org.parley.protocol.ImClients.next;
import static org.parley.protocol.ImClients.none;
import static org.parley.protocol.PepClients.awaitCapsKnown;
import static org.parley.protocol.PepClients.collectEvents;
import static org.parley.protocol.PepClients.events;
import static org.parley.protocol.PepClients.ids;
import static org.parley.protocol.PepClients.interestedIn;
import static org.parley.protocol.PepClients.items;
import static org.parley.protocol.PepClients.publish;
import static org.parley.protocol.PepClients.pubsubCondition;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.smackx.disco.packet.DiscoverItems;
import org.jivesoftware.smackx.pep.PepManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.ServerExtension;
import org.parley.xml.Element;

/** XEP-0163 PEP basics: publish, notifications filtered by +notify caps, retract, items, disco. */
class PepTest {
    private static final String NODE = "urn:parley:test:mood";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();
    private static final ImClients im = new ImClients(server);

    private static String payload(String text) {
        return "<mood xmlns='" + NODE + "'><text>" + text + "</text></mood>";
    }

    @Test
    void publishNotifiesOwnAndContactsResourcesThatAskForTheNodeOnly() throws Exception {
        im.contacts("p1-alice", "p1-bob");
        im.users("p1-carol");
        im.mutual("p1-alice", "p1-carol");
        XMPPTCPConnection alice = im.login("p1-alice", "phone", true, true, interestedIn(NODE));
        XMPPTCPConnection alice2 = im.online("p1-alice", "desk");
        XMPPTCPConnection bob = im.login("p1-bob", "b", true, true, interestedIn(NODE));
        XMPPTCPConnection carol = im.online("p1-carol", "c");
        try {
            BlockingQueue<Element> aliceEvents = events(alice);
            BlockingQueue<Element> alice2Events = events(alice2);
            BlockingQueue<Element> bobEvents = events(bob);
            BlockingQueue<Element> carolEvents = events(carol);
            awaitCapsKnown(server.database(), alice);
            awaitCapsKnown(server.database(), bob);

            Element result = publish(alice2, NODE, "m1", payload("happy"), null);

            assertThat(result.element("pubsub", PepClients.PUBSUB).element("publish", PepClients.PUBSUB)
                    .element("item", PepClients.PUBSUB).attr("id")).isEqualTo("m1");
            for (BlockingQueue<Element> q : java.util.List.of(aliceEvents, bobEvents)) {
                Element items = next(q);
                assertThat(items.attr("from")).isEqualTo("p1-alice@localhost");
                assertThat(items.attr("node")).isEqualTo(NODE);
                assertThat(ids(items)).containsExactly("m1");
                assertThat(items.elements().get(0).element("mood", NODE).childText("text", NODE)).isEqualTo("happy");
            }
            none(carolEvents);
            none(alice2Events);
        } finally {
            closeAll(alice, alice2, bob, carol);
        }
    }

    @Test
    void itemsAreRetrievedAllNewestOrByIdAndRetractNotifies() throws Exception {
        im.contacts("p2-alice", "p2-bob");
        XMPPTCPConnection alice = im.online("p2-alice", "a");
        XMPPTCPConnection bob = im.login("p2-bob", "b", true, true, interestedIn(NODE));
        try {
            BlockingQueue<Element> bobEvents = events(bob);
            awaitCapsKnown(server.database(), bob);
            XMPPErrorException noNode = catchThrowableOfType(XMPPErrorException.class,
                    () -> PepClients.configure(alice, NODE, "pubsub#max_items=10"));
            assertThat(noNode.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.item_not_found);
            publish(alice, NODE, "a", payload("1"), "pubsub#max_items=10");
            publish(alice, NODE, "b", payload("2"), null);
            publish(alice, NODE, "c", payload("3"), null);
            assertThat(ids(items(bob, bare("p2-alice"), NODE, ">"))).containsExactly("a", "b", "c");
            assertThat(ids(items(bob, bare("p2-alice"), NODE, " max_items='2'>"))).containsExactly("b", "c");
            assertThat(ids(items(bob, bare("p2-alice"), NODE, "><item id='a'/><item id='zz'/>"))).containsExactly("a");
            PepClients.send(alice, PepClients.pubsub(IQ.Type.set, PepClients.PUBSUB, null,
                    "<retract node='" + NODE + "' notify='true'><item id='b'/></retract>"));

            Element retract = PepClients.nextWith(bobEvents, "retract");
            assertThat(retract.elements().get(0).attr("id")).isEqualTo("b");
            assertThat(ids(items(alice, bare("p2-alice"), NODE, ">"))).containsExactly("a", "c");
            XMPPErrorException again = catchThrowableOfType(XMPPErrorException.class, () -> PepClients.send(alice,
                    PepClients.pubsub(IQ.Type.set, PepClients.PUBSUB, null,
                            "<retract node='" + NODE + "'><item id='b'/></retract>")));
            assertThat(again.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.item_not_found);
        } finally {
            closeAll(alice, bob);
        }
    }

    @Test
    void onlyTheOwnerPublishesAndDefaultMaxItemsIsOne() throws Exception {
        im.contacts("p3-alice", "p3-bob");
        XMPPTCPConnection alice = im.online("p3-alice", "a");
        XMPPTCPConnection bob = im.online("p3-bob", "b");
        try {
            publish(alice, NODE, "x", payload("1"), null);
            publish(alice, NODE, "y", payload("2"), null);
            assertThat(ids(items(bob, bare("p3-alice"), NODE, ">"))).containsExactly("y");

            XMPPErrorException e = catchThrowableOfType(XMPPErrorException.class, () -> PepClients.send(bob,
                    PepClients.pubsub(IQ.Type.set, PepClients.PUBSUB, bare("p3-alice"),
                            "<publish node='" + NODE + "'><item>" + payload("x") + "</item></publish>")));
            assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.forbidden);

            XMPPErrorException missing = catchThrowableOfType(XMPPErrorException.class,
                    () -> items(bob, bare("p3-alice"), "urn:none", ">"));
            assertThat(missing.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.item_not_found);
        } finally {
            closeAll(alice, bob);
        }
    }

    @Test
    void accountAnnouncesPepAndListsItsNodes() throws Exception {
        im.contacts("p4-alice", "p4-bob");
        XMPPTCPConnection alice = im.online("p4-alice", "a");
        XMPPTCPConnection bob = im.online("p4-bob", "b");
        try {
            assertThat(PepManager.getInstanceFor(alice).isSupported()).isTrue();
            DiscoverInfo info = ServiceDiscoveryManager.getInstanceFor(bob).discoverInfo(bare("p4-alice"));
            assertThat(info.hasIdentity("pubsub", "pep")).isTrue();
            assertThat(info.containsFeature(PepClients.PUBSUB + "#publish-options")).isTrue();
            publish(alice, NODE, "x", payload("1"), null);
            publish(alice, "urn:parley:test:secret", "x", payload("1"), "pubsub#access_model=whitelist");

            DiscoverItems own = ServiceDiscoveryManager.getInstanceFor(alice).discoverItems(bare("p4-alice"));
            DiscoverItems seen = ServiceDiscoveryManager.getInstanceFor(bob).discoverItems(bare("p4-alice"));

            assertThat(own.getItems()).extracting(DiscoverItems.Item::getNode)
                    .containsExactlyInAnyOrder(NODE, "urn:parley:test:secret");
            assertThat(seen.getItems()).extracting(DiscoverItems.Item::getNode).containsExactly(NODE);
            DiscoverInfo nodeInfo = ServiceDiscoveryManager.getInstanceFor(bob).discoverInfo(bare("p4-alice"), NODE);
            assertThat(nodeInfo.hasIdentity("pubsub", "leaf")).isTrue();
            // Smack's own PubSub API on the account: the node is a leaf with the published item.
            assertThat(PepManager.getInstanceFor(alice).getPepPubSubManager().getLeafNode(NODE).getItems()).hasSize(1);
        } finally {
            closeAll(alice, bob);
        }
    }

    @Test
    void aNewResourceGetsTheLastPublishedItemOfContactsAndItsOwnAccount() throws Exception {
        im.contacts("p5-alice", "p5-bob");
        XMPPTCPConnection alice = im.online("p5-alice", "a");
        XMPPTCPConnection bob = null;
        XMPPTCPConnection alice2 = null;
        try {
            publish(alice, NODE, "old", payload("1"), null);
            publish(alice, NODE, "new", payload("2"), null);
            BlockingQueue<Element> bobEvents = new LinkedBlockingQueue<>();
            BlockingQueue<Element> alice2Events = new LinkedBlockingQueue<>();

            bob = im.login("p5-bob", "b", true, true, interestedIn(NODE).andThen(collectEvents(bobEvents)));
            alice2 = im.login("p5-alice", "second", true, true, interestedIn(NODE).andThen(collectEvents(alice2Events)));

            Element last = next(bobEvents);
            assertThat(ids(last)).containsExactly("new");
            assertThat(last.attr("from")).isEqualTo("p5-alice@localhost");
            assertThat(ids(next(alice2Events))).containsExactly("new");
            none(bobEvents);
        } finally {
            closeAll(alice, bob, alice2);
        }
    }
}
