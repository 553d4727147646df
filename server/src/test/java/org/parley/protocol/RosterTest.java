package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.parley.protocol.ImClients.bare;
import static org.parley.protocol.ImClients.closeAll;
import static org.parley.protocol.ImClients.next;
import static org.parley.protocol.ImClients.none;
import static org.parley.protocol.ImClients.pushes;
import static org.parley.protocol.ImClients.rosterIq;

import java.util.concurrent.BlockingQueue;
import org.jivesoftware.smack.XMPPException.XMPPErrorException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.roster.packet.RosterPacket;
import org.jivesoftware.smack.roster.packet.RosterPacket.ItemType;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.ServerExtension;

/** RFC 6121 §2: roster get, set and remove, pushes to interested resources, and the error cases. */
class RosterTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();
    static final ImClients im = new ImClients(server);

    private static void set(XMPPTCPConnection c, RosterPacket.Item item) throws Exception {
        RosterPacket set = new RosterPacket();
        set.setType(IQ.Type.set);
        set.addRosterItem(item);
        IQ result = c.sendIqRequestAndWaitForResponse(set);
        assertThat(result.getType()).isEqualTo(IQ.Type.result);
    }

    /** The item carried by the next roster push (RFC 6121 §2.1.6: a push holds exactly one). */
    private static RosterPacket.Item nextPushedItem(BlockingQueue<RosterPacket> pushes) throws InterruptedException {
        return next(pushes).getRosterItems().get(0);
    }

    private static RosterPacket get(XMPPTCPConnection c) throws Exception {
        RosterPacket get = new RosterPacket();
        get.setType(IQ.Type.get);
        return c.sendIqRequestAndWaitForResponse(get);
    }

    private static StanzaError.Condition errorOf(XMPPTCPConnection c, IQ request) {
        XMPPErrorException e = catchThrowableOfType(XMPPErrorException.class,
                () -> c.sendIqRequestAndWaitForResponse(request));
        assertThat(e).as("an error reply").isNotNull();
        return e.getStanzaError().getCondition();
    }

    private static RosterPacket.Item item(String jid, String name, String... groups) {
        RosterPacket.Item item = new RosterPacket.Item(bare(jid), name);
        for (String g : groups) {
            item.addGroupName(g);
        }
        return item;
    }

    @Test
    void addedItemIsPushedToInterestedResourcesOnlyAndReturnedByRosterGet() throws Exception {
        im.users("ra1", "ra1contact");
        XMPPTCPConnection balcony = im.online("ra1", "balcony");
        XMPPTCPConnection chamber = im.online("ra1", "chamber");
        // Connected and even available, but never asked for the roster: not an interested resource (§2.2).
        XMPPTCPConnection garden = im.login("ra1", "garden", false, true);
        try {
            BlockingQueue<RosterPacket> atBalcony = pushes(balcony);
            BlockingQueue<RosterPacket> atChamber = pushes(chamber);
            BlockingQueue<RosterPacket> atGarden = pushes(garden);

            set(balcony, item("ra1contact", "Nurse", "Servants", "Friends"));

            for (BlockingQueue<RosterPacket> q : java.util.List.of(atBalcony, atChamber)) {
                RosterPacket push = next(q);
                // §2.1.6: a push comes from the user's bare JID (or none) with exactly one item.
                assertThat(String.valueOf(push.getFrom())).isIn("null", "ra1@localhost");
                assertThat(push.getRosterItems()).hasSize(1);
                RosterPacket.Item pushed = push.getRosterItems().get(0);
                assertThat(pushed.getJid().toString()).isEqualTo("ra1contact@localhost");
                assertThat(pushed.getName()).isEqualTo("Nurse");
                assertThat(pushed.getItemType()).isEqualTo(ItemType.none);
                assertThat(pushed.isSubscriptionPending()).isFalse();
                assertThat(pushed.getGroupNames()).containsExactlyInAnyOrder("Servants", "Friends");
            }
            none(atGarden);

            RosterPacket roster = get(garden);
            assertThat(roster.getRosterItems()).singleElement().satisfies(i -> {
                assertThat(i.getJid().toString()).isEqualTo("ra1contact@localhost");
                assertThat(i.getName()).isEqualTo("Nurse");
                assertThat(i.getGroupNames()).containsExactlyInAnyOrder("Servants", "Friends");
            });
        } finally {
            closeAll(balcony, chamber, garden);
        }
    }

    @Test
    void fetchingTheRosterMakesAResourceInterested() throws Exception {
        im.users("ra2", "ra2contact");
        XMPPTCPConnection quiet = im.login("ra2", "quiet", false, false);
        XMPPTCPConnection other = im.online("ra2", "other");
        try {
            BlockingQueue<RosterPacket> atQuiet = pushes(quiet);
            set(other, item("ra2contact", "One"));
            none(atQuiet);

            get(quiet);
            set(other, item("ra2contact", "Two"));
            assertThat(nextPushedItem(atQuiet).getName()).isEqualTo("Two");
        } finally {
            closeAll(quiet, other);
        }
    }

    @Test
    void updatingAnItemReplacesNameAndGroups() throws Exception {
        im.users("ru", "rucontact");
        XMPPTCPConnection a = im.online("ru", "a");
        XMPPTCPConnection b = im.online("ru", "b");
        try {
            BlockingQueue<RosterPacket> atB = pushes(b);
            set(a, item("rucontact", "Old", "G1", "G2"));
            assertThat(nextPushedItem(atB).getName()).isEqualTo("Old");

            set(a, item("rucontact", "New", "G3"));

            RosterPacket.Item pushed = nextPushedItem(atB);
            assertThat(pushed.getName()).isEqualTo("New");
            assertThat(pushed.getGroupNames()).containsExactly("G3");
            RosterPacket.Item stored = get(a).getRosterItems().get(0);
            assertThat(stored.getName()).isEqualTo("New");
            assertThat(stored.getGroupNames()).containsExactly("G3");
        } finally {
            closeAll(a, b);
        }
    }

    @Test
    void removingAnItemPushesSubscriptionRemove() throws Exception {
        im.users("rr", "rrcontact");
        XMPPTCPConnection a = im.online("rr", "a");
        XMPPTCPConnection b = im.online("rr", "b");
        try {
            BlockingQueue<RosterPacket> atB = pushes(b);
            set(a, item("rrcontact", "Gone soon"));
            assertThat(nextPushedItem(atB).getItemType()).isEqualTo(ItemType.none);

            RosterPacket.Item removal = new RosterPacket.Item(bare("rrcontact"), null);
            removal.setItemType(ItemType.remove);
            set(a, removal);

            RosterPacket.Item pushed = nextPushedItem(atB);
            assertThat(pushed.getJid().toString()).isEqualTo("rrcontact@localhost");
            assertThat(pushed.getItemType()).isEqualTo(ItemType.remove);
            assertThat(get(a).getRosterItems()).isEmpty();
        } finally {
            closeAll(a, b);
        }
    }

    @Test
    void removingAnItemNotInTheRosterIsItemNotFound() throws Exception {
        im.users("rn");
        XMPPTCPConnection a = im.online("rn", "a");
        try {
            // RFC 6121 §2.5.3.
            assertThat(errorOf(a, rosterIq(IQ.Type.set,
                    "<item jid='nobody@localhost' subscription='remove'/>")))
                    .isEqualTo(StanzaError.Condition.item_not_found);
        } finally {
            closeAll(a);
        }
    }

    @Test
    void duplicateGroupIsBadRequest() throws Exception {
        im.users("rd");
        XMPPTCPConnection a = im.online("rd", "a");
        try {
            // RFC 6121 §2.3.3: duplicate <group/> elements are a bad-request.
            assertThat(errorOf(a, rosterIq(IQ.Type.set,
                    "<item jid='x@localhost'><group>Friends</group><group>Friends</group></item>")))
                    .isEqualTo(StanzaError.Condition.bad_request);
            assertThat(get(a).getRosterItems()).isEmpty();
        } finally {
            closeAll(a);
        }
    }

    @Test
    void emptyGroupNameIsNotAcceptable() throws Exception {
        im.users("re");
        XMPPTCPConnection a = im.online("re", "a");
        try {
            // RFC 6121 §2.3.3: a zero-length group name is not-acceptable.
            assertThat(errorOf(a, rosterIq(IQ.Type.set, "<item jid='x@localhost'><group></group></item>")))
                    .isEqualTo(StanzaError.Condition.not_acceptable);
        } finally {
            closeAll(a);
        }
    }

    @Test
    void rosterSetWithTwoItemsIsBadRequest() throws Exception {
        im.users("r2");
        XMPPTCPConnection a = im.online("r2", "a");
        try {
            // RFC 6121 §2.3.3: a roster set carries exactly one item.
            assertThat(errorOf(a, rosterIq(IQ.Type.set, "<item jid='x@localhost'/><item jid='y@localhost'/>")))
                    .isEqualTo(StanzaError.Condition.bad_request);
            assertThat(get(a).getRosterItems()).isEmpty();
        } finally {
            closeAll(a);
        }
    }

    @Test
    void rosterOfAnotherUserIsForbidden() throws Exception {
        im.users("rf", "rfother");
        XMPPTCPConnection a = im.online("rf", "a");
        XMPPTCPConnection other = im.online("rfother", "x");
        try {
            // RFC 6121 §2.1.5/§2.3.3: only the account owner may read or change a roster.
            IQ foreignGet = rosterIq(IQ.Type.get, "");
            foreignGet.setTo(bare("rfother"));
            assertThat(errorOf(a, foreignGet)).isEqualTo(StanzaError.Condition.forbidden);

            IQ foreignSet = rosterIq(IQ.Type.set, "<item jid='x@localhost' name='intruder'/>");
            foreignSet.setTo(bare("rfother"));
            assertThat(errorOf(a, foreignSet)).isEqualTo(StanzaError.Condition.forbidden);
            assertThat(get(other).getRosterItems()).isEmpty();
        } finally {
            closeAll(a, other);
        }
    }

    @Test
    void rosterGetAddressedToOwnBareJidIsAnswered() throws Exception {
        im.users("rs", "rscontact");
        XMPPTCPConnection a = im.online("rs", "a");
        try {
            set(a, item("rscontact", "Me"));
            RosterPacket get = new RosterPacket();
            get.setType(IQ.Type.get);
            get.setTo(bare("rs"));
            RosterPacket result = a.sendIqRequestAndWaitForResponse(get);
            assertThat(result.getRosterItems()).extracting(i -> i.getJid().toString()).containsExactly("rscontact@localhost");
        } finally {
            closeAll(a);
        }
    }
}
