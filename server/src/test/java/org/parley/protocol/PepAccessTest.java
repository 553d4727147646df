package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.parley.protocol.ImClients.bare;
import static org.parley.protocol.ImClients.closeAll;
import static org.parley.protocol.ImClients.next;
import static org.parley.protocol.ImClients.none;
import static org.parley.protocol.PepClients.awaitCapsKnown;
import static org.parley.protocol.PepClients.configure;
import static org.parley.protocol.PepClients.events;
import static org.parley.protocol.PepClients.ids;
import static org.parley.protocol.PepClients.interestedIn;
import static org.parley.protocol.PepClients.items;
import static org.parley.protocol.PepClients.publish;
import static org.parley.protocol.PepClients.pubsubCondition;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError.Condition;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.ServerExtension;
import org.parley.xml.Element;

/** Access models, node configuration, publish-options preconditions and limits (XEP-0060, XEP-0223). */
class PepAccessTest {
    private static final String NODE = "urn:parley:test:status";

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of(
            "PARLEY_PEP_MAX_NODES_PER_USER", "5",
            "PARLEY_PEP_MAX_ITEM_BYTES", "1024",
            "PARLEY_PEP_MAX_ITEMS_PER_NODE", "4"));
    private static final ImClients im = new ImClients(server);

    private static String payload(String text) {
        return "<status xmlns='" + NODE + "'>" + text + "</status>";
    }

    private static XMPPErrorException error(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return catchThrowableOfType(XMPPErrorException.class, call);
    }

    @Test
    void presenceAccessNeedsASubscriptionOpenAccessDoesNot() throws Exception {
        im.contacts("a1-alice", "a1-bob");
        im.users("a1-eve");
        XMPPTCPConnection alice = im.online("a1-alice", "a");
        XMPPTCPConnection bob = im.online("a1-bob", "b");
        XMPPTCPConnection eve = im.online("a1-eve", "e");
        try {
            publish(alice, NODE, "1", payload("x"), null);

            assertThat(ids(items(bob, bare("a1-alice"), NODE, ">"))).containsExactly("1");
            XMPPErrorException denied = error(() -> items(eve, bare("a1-alice"), NODE, ">"));
            assertThat(denied.getStanzaError().getCondition()).isEqualTo(Condition.not_authorized);
            assertThat(pubsubCondition(denied)).isEqualTo("presence-subscription-required");

            configure(alice, NODE, "pubsub#access_model=open");
            assertThat(ids(items(eve, bare("a1-alice"), NODE, ">"))).containsExactly("1");
        } finally {
            closeAll(alice, bob, eve);
        }
    }

    @Test
    void whitelistAdmitsOnlyAffiliatedContactsToItemsAndNotifications() throws Exception {
        im.contacts("a2-alice", "a2-bob");
        im.users("a2-carol");
        im.mutual("a2-alice", "a2-carol");
        XMPPTCPConnection alice = im.online("a2-alice", "a");
        XMPPTCPConnection bob = im.login("a2-bob", "b", true, true, interestedIn(NODE));
        XMPPTCPConnection carol = im.login("a2-carol", "c", true, true, interestedIn(NODE));
        try {
            BlockingQueue<Element> bobEvents = events(bob);
            BlockingQueue<Element> carolEvents = events(carol);
            awaitCapsKnown(server.database(), bob);
            awaitCapsKnown(server.database(), carol);
            publish(alice, NODE, "1", payload("x"), "pubsub#access_model=whitelist");
            none(bobEvents);
            XMPPErrorException denied = error(() -> items(bob, bare("a2-alice"), NODE, ">"));
            assertThat(denied.getStanzaError().getCondition()).isEqualTo(Condition.not_allowed);
            assertThat(pubsubCondition(denied)).isEqualTo("closed-node");

            PepClients.send(alice, PepClients.pubsub(IQ.Type.set, PepClients.OWNER, null,
                    "<affiliations node='" + NODE + "'><affiliation jid='a2-bob@localhost' affiliation='member'/></affiliations>"));
            Element affiliations = PepClients.send(alice, PepClients.pubsub(IQ.Type.get, PepClients.OWNER, null,
                    "<affiliations node='" + NODE + "'/>")).element("pubsub", PepClients.OWNER)
                    .element("affiliations", PepClients.OWNER);
            assertThat(affiliations.elements()).extracting(e -> e.attr("jid") + "=" + e.attr("affiliation"))
                    .containsExactlyInAnyOrder("a2-alice@localhost=owner", "a2-bob@localhost=member");

            assertThat(ids(items(bob, bare("a2-alice"), NODE, ">"))).containsExactly("1");
            publish(alice, NODE, "2", payload("y"), null);
            assertThat(ids(next(bobEvents))).containsExactly("2");
            none(carolEvents);
        } finally {
            closeAll(alice, bob, carol);
        }
    }

    @Test
    void transientNodeNotifiesButKeepsNothing() throws Exception {
        im.contacts("a3-alice", "a3-bob");
        XMPPTCPConnection alice = im.online("a3-alice", "a");
        XMPPTCPConnection bob = im.login("a3-bob", "b", true, true, interestedIn(NODE));
        try {
            BlockingQueue<Element> bobEvents = events(bob);
            awaitCapsKnown(server.database(), bob);
            publish(alice, NODE, "1", payload("x"), "pubsub#persist_items=false");

            assertThat(ids(next(bobEvents))).containsExactly("1");
            assertThat(items(bob, bare("a3-alice"), NODE, ">").elements()).isEmpty();
        } finally {
            closeAll(alice, bob);
        }
    }

    @Test
    void maxItemsKeepsTheNewestAndMaxMeansTheServerLimit() throws Exception {
        im.users("a4-alice");
        XMPPTCPConnection alice = im.online("a4-alice", "a");
        try {
            publish(alice, NODE, "1", payload("1"), "pubsub#max_items=2");
            publish(alice, NODE, "2", payload("2"), null);
            publish(alice, NODE, "3", payload("3"), null);
            assertThat(ids(items(alice, bare("a4-alice"), NODE, ">"))).containsExactly("2", "3");

            Element form = PepClients.send(alice, PepClients.pubsub(IQ.Type.get, PepClients.OWNER, null,
                    "<configure node='" + NODE + "'/>"));
            assertThat(form.toXml()).contains("pubsub#max_items").contains("<value>2</value>");

            configure(alice, NODE, "pubsub#max_items=max");
            for (String id : new String[] {"4", "5", "6", "7"}) {
                publish(alice, NODE, id, payload(id), null);
            }
            assertThat(ids(items(alice, bare("a4-alice"), NODE, ">"))).containsExactly("4", "5", "6", "7");
            XMPPErrorException tooMany = error(() -> configure(alice, NODE, "pubsub#max_items=5"));
            assertThat(tooMany.getStanzaError().getCondition()).isEqualTo(Condition.not_acceptable);
        } finally {
            closeAll(alice);
        }
    }

    @Test
    void publishOptionsThatContradictTheNodeAreAPreconditionFailure() throws Exception {
        im.users("a5-alice");
        XMPPTCPConnection alice = im.online("a5-alice", "a");
        try {
            publish(alice, NODE, "1", payload("1"), "pubsub#access_model=open;pubsub#persist_items=true");
            // Same options again, 'true' spelled '1': fine.
            publish(alice, NODE, "2", payload("2"), "pubsub#access_model=open;pubsub#persist_items=1");

            XMPPErrorException conflict = error(() -> publish(alice, NODE, "3", payload("3"),
                    "pubsub#access_model=whitelist"));

            assertThat(conflict.getStanzaError().getCondition()).isEqualTo(Condition.conflict);
            assertThat(pubsubCondition(conflict)).isEqualTo("precondition-not-met");
            assertThat(ids(items(alice, bare("a5-alice"), NODE, ">"))).containsExactly("2");
            XMPPErrorException bad = error(() -> publish(alice, "urn:parley:test:new", "1", payload("1"),
                    "pubsub#access_model=bogus"));
            assertThat(pubsubCondition(bad)).isEqualTo("precondition-not-met");
        } finally {
            closeAll(alice);
        }
    }

    @Test
    void itemSizeAndNodeCountAreLimited() throws Exception {
        im.users("a6-alice");
        XMPPTCPConnection alice = im.online("a6-alice", "a");
        try {
            XMPPErrorException big = error(() -> publish(alice, NODE, "1", payload("x".repeat(2000)), null));
            assertThat(big.getStanzaError().getCondition()).isEqualTo(Condition.not_acceptable);
            assertThat(pubsubCondition(big)).isEqualTo("payload-too-big");

            for (int i = 0; i < 5; i++) {
                publish(alice, NODE + i, "1", payload("x"), null);
            }
            XMPPErrorException many = error(() -> publish(alice, NODE + "-more", "1", payload("x"), null));
            assertThat(many.getStanzaError().getCondition()).isEqualTo(Condition.policy_violation);
            assertThat(pubsubCondition(many)).isEqualTo("max-nodes-exceeded");
            // Existing nodes still take items.
            publish(alice, NODE + "0", "2", payload("y"), null);
        } finally {
            closeAll(alice);
        }
    }

    @Test
    void deletingANodeNotifiesAndRemovesIt() throws Exception {
        im.users("a7-alice");
        XMPPTCPConnection alice = im.login("a7-alice", "a", true, true, interestedIn(NODE));
        try {
            BlockingQueue<Element> events = events(alice);
            awaitCapsKnown(server.database(), alice);
            publish(alice, NODE, "1", payload("x"), null);
            next(events);
            PepClients.send(alice, PepClients.pubsub(IQ.Type.set, PepClients.OWNER, null, "<delete node='" + NODE + "'/>"));
            assertThat(next(events).name()).isEqualTo("delete");
            XMPPErrorException gone = error(() -> items(alice, bare("a7-alice"), NODE, ">"));
            assertThat(gone.getStanzaError().getCondition()).isEqualTo(Condition.item_not_found);
        } finally {
            closeAll(alice);
        }
    }
}
