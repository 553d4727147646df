package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.parley.protocol.ImClients.bare;
import static org.parley.protocol.ImClients.closeAll;
import static org.parley.protocol.ImClients.next;
import static org.parley.protocol.ImClients.none;
import static org.parley.protocol.ImClients.pushes;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.packet.RosterPacket;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.testing.ServerExtension;

/** RFC 6121 §2.6 / XEP-0237 roster versioning: only the changes since the client's version. */
class RosterVersioningTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withUsers();
    static final ImClients im = new ImClients(server);

    /** A roster get carrying a version, as a client that cached the roster sends it. */
    private static IQ get(XMPPTCPConnection c, String ver) throws Exception {
        RosterPacket get = new RosterPacket();
        get.setType(IQ.Type.get);
        get.setVersion(ver);
        return c.sendIqRequestAndWaitForResponse(get);
    }

    private static void set(XMPPTCPConnection c, RosterPacket.Item item) throws Exception {
        RosterPacket set = new RosterPacket();
        set.setType(IQ.Type.set);
        set.addRosterItem(item);
        assertThat(c.sendIqRequestAndWaitForResponse(set).getType()).isEqualTo(IQ.Type.result);
    }

    /** The user's roster version as the server stores it. */
    private static String version(String user) {
        return String.valueOf(server.stores().roster().version(user));
    }

    private static RosterPacket.Item item(String user, String name) {
        return new RosterPacket.Item(bare(user), name);
    }

    private static RosterPacket.Item removal(String user) {
        RosterPacket.Item item = new RosterPacket.Item(bare(user), null);
        item.setItemType(RosterPacket.ItemType.remove);
        return item;
    }

    @Test
    void serverOffersRosterVersioning() throws Exception {
        im.users("feat");
        XMPPTCPConnection c = im.online("feat", "r");
        try {
            assertThat(Roster.getInstanceFor(c).isRosterVersioningSupported()).isTrue();
        } finally {
            closeAll(c);
        }
    }

    @Test
    void firstRequestGetsTheWholeRosterAndTheCurrentVersionThenNothingWhileUnchanged() throws Exception {
        im.users("v1", "v1a", "v1b");
        XMPPTCPConnection c = im.login("v1", "r", false, false);
        try {
            set(c, item("v1a", "A"));
            set(c, item("v1b", "B"));
            BlockingQueue<RosterPacket> pushes = pushes(c);

            RosterPacket full = (RosterPacket) get(c, "");
            assertThat(full.getVersion()).isEqualTo(version("v1"));
            assertThat(full.getRosterItems()).extracting(i -> i.getJid().toString())
                    .containsExactlyInAnyOrder("v1a@localhost", "v1b@localhost");

            IQ same = get(c, full.getVersion());
            assertThat(same).isNotInstanceOf(RosterPacket.class);
            assertThat(same.getType()).isEqualTo(IQ.Type.result);
            none(pushes);
        } finally {
            closeAll(c);
        }
    }

    @Test
    void knownVersionGetsAnEmptyResultAndThenOnlyTheChangesIncludingRemovals() throws Exception {
        im.users("v2", "v2keep", "v2gone", "v2new", "v2renamed");
        XMPPTCPConnection c = im.login("v2", "r", false, false);
        try {
            set(c, item("v2keep", "Keep"));
            set(c, item("v2gone", "Gone"));
            set(c, item("v2renamed", "Old"));
            String cached = ((RosterPacket) get(c, "")).getVersion();

            set(c, item("v2new", "New"));
            set(c, removal("v2gone"));
            set(c, item("v2renamed", "New name"));
            c.disconnect();

            c = im.login("v2", "r", false, false);
            BlockingQueue<RosterPacket> pushes = pushes(c);
            IQ result = get(c, cached);
            assertThat(result).isNotInstanceOf(RosterPacket.class);

            RosterPacket p1 = next(pushes);
            RosterPacket p2 = next(pushes);
            RosterPacket p3 = next(pushes);
            none(pushes);
            assertThat(List.of(p1, p2, p3)).extracting(p -> p.getRosterItems().get(0).getJid().toString())
                    .containsExactly("v2new@localhost", "v2gone@localhost", "v2renamed@localhost");
            assertThat(p2.getRosterItems().get(0).getItemType()).isEqualTo(RosterPacket.ItemType.remove);
            assertThat(p3.getRosterItems().get(0).getName()).isEqualTo("New name");
            long v = Long.parseLong(cached);
            assertThat(List.of(p1, p2, p3)).extracting(RosterPacket::getVersion)
                    .containsExactly(String.valueOf(v + 1), String.valueOf(v + 2), String.valueOf(v + 3));
        } finally {
            closeAll(c);
        }
    }

    @Test
    void unknownVersionGetsTheWholeRoster() throws Exception {
        im.users("v3", "v3a");
        XMPPTCPConnection c = im.login("v3", "r", false, false);
        try {
            set(c, item("v3a", "A"));
            for (String ver : new String[] {"0", "99", String.valueOf(Long.MAX_VALUE), "not-ours"}) {
                RosterPacket full = (RosterPacket) get(c, ver);
                assertThat(full.getVersion()).isEqualTo(version("v3"));
                assertThat(full.getRosterItems()).hasSize(1);
            }
        } finally {
            closeAll(c);
        }
    }

    @Test
    void livePushesCarryTheNewVersion() throws Exception {
        im.users("v4", "v4a");
        XMPPTCPConnection c = im.login("v4", "r", false, false);
        try {
            get(c, "");
            BlockingQueue<RosterPacket> pushes = pushes(c);
            set(c, item("v4a", "A"));
            long v = Long.parseLong(next(pushes).getVersion());
            assertThat(version("v4")).isEqualTo(String.valueOf(v));
            set(c, removal("v4a"));
            assertThat(next(pushes).getVersion()).isEqualTo(String.valueOf(v + 1));
        } finally {
            closeAll(c);
        }
    }

    @Test
    void smackRosterWithAStoreStaysRightAcrossLogins() throws Exception {
        im.users("v5", "v5a", "v5b", "v5c");
        MemoryRosterStore store = new MemoryRosterStore();
        XMPPTCPConnection c = im.login("v5", "r", false, false, conn -> Roster.getInstanceFor(conn).setRosterStore(store));
        XMPPTCPConnection other = im.login("v5", "other", false, false);
        try {
            Roster roster = Roster.getInstanceFor(c);
            roster.reloadAndWait();
            set(other, item("v5a", "A"));
            set(other, item("v5b", "B"));
            // Smack updates its in-memory roster before it writes the push to its store, so the
            // store, not the roster, says when both pushes were handled.
            ImClients.eventually("both items pushed", () -> roster.getEntries().size() == 2
                    && version("v5").equals(store.getRosterVersion()));
            c.disconnect();
            assertThat(store.getRosterVersion()).isEqualTo(version("v5"));

            set(other, removal("v5a"));
            set(other, item("v5c", "C"));

            c = im.login("v5", "r", false, false, conn -> Roster.getInstanceFor(conn).setRosterStore(store));
            Roster.getInstanceFor(c).reloadAndWait();
            // The roster get carried the stored version: the server answers with an empty
            // result and pushes only the two changes, which Smack writes to its store. (Smack's
            // in-memory Roster is not checked: its handler of the empty result races the pushes
            // on another thread and can drop an entry a push just added, whatever the server does.)
            ImClients.eventually("the store at the new version", () -> version("v5").equals(store.getRosterVersion()));
            assertThat(store.getEntries()).extracting(i -> i.getJid().toString(), RosterPacket.Item::getName)
                    .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("v5b@localhost", "B"),
                            org.assertj.core.groups.Tuple.tuple("v5c@localhost", "C"));
        } finally {
            closeAll(c, other);
        }
    }

    @Test
    void versionBeforeForgottenRemovalsGetsTheWholeRoster(@TempDir Path other) throws Exception {
        try (org.parley.testing.TestServer forgetful = org.parley.testing.TestServer.start(other,
                java.util.Map.of("PARLEY_ROSTER_VERSION_REMOVALS", "0"))) {
            forgetful.createUser("v6", "v6-pw");
            XMPPTCPConnection c = new org.parley.testing.Clients(forgetful).login("v6", "v6-pw");
            try {
                Roster.getInstanceFor(c).reloadAndWait();
                set(c, item("v6a", "A"));
                set(c, item("v6b", "B"));
                String cached = ((RosterPacket) get(c, "")).getVersion();
                set(c, removal("v6a"));
                // roster.versionRemovals is 0: the removal is not kept, so no delta can be trusted.
                RosterPacket full = (RosterPacket) get(c, cached);
                assertThat(full.getRosterItems()).extracting(i -> i.getJid().toString()).containsExactly("v6b@localhost");
                assertThat(Long.parseLong(full.getVersion())).isEqualTo(Long.parseLong(cached) + 1);
            } finally {
                c.disconnect();
            }
        }
    }
}
