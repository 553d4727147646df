package org.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.mam.MamManager;
import org.jivesoftware.smackx.mam.MamManager.MamQuery;
import org.jivesoftware.smackx.mam.MamManager.MamQueryArgs;
import org.jivesoftware.smackx.mam.element.MamPrefsIQ;
import org.jivesoftware.smackx.mam.element.MamElements.MamResultExtension;
import org.jivesoftware.smackx.sid.element.StanzaIdElement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.parley.Server;
import org.parley.testing.MessageInbox;

/** The archive with the two parties on different nodes of a cluster sharing PostgreSQL. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterMamTest {
    @TempDir
    static Path dir;
    ClusterTestNodes cluster;
    Server a;
    Server b;

    @BeforeAll
    void start() {
        cluster = ClusterTestNodes.create(dir);
        a = cluster.start("a", Map.of("PARLEY_ARCHIVE_NODE_NUMBER", "1"));
        b = cluster.start("b", Map.of("PARLEY_ARCHIVE_NODE_NUMBER", "2"));
        cluster.createUsers("alice", "bob", "carol", "dave", "erin", "frank");
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private MessageInbox login(Server node, String user, String resource) throws Exception {
        return MessageInbox.login(cluster.clients(node), user, user + "-pw", resource);
    }

    private static List<String> ids(MamQuery q) {
        return q.getMamResultExtensions().stream().map(MamResultExtension::getId).toList();
    }

    /** Everything in the archive, paged; waits a moment for rows another node's writer still holds. */
    private static MamQuery all(MessageInbox inbox, int expected) throws Exception {
        MamQuery q = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            q = MamManager.getInstanceFor(inbox.connection()).queryArchive(
                    MamQueryArgs.builder().setResultPageSizeTo(250).build());
            if (q.getMessageCount() >= expected) {
                break;
            }
            Thread.sleep(100);
        }
        return q;
    }

    @Test
    void archiveWorksWhicheverNodeTheUserIsOn() throws Exception {
        List<String> delivered = new ArrayList<>();
        try (MessageInbox alice = login(a, "alice", "phone"); MessageInbox bob = login(b, "bob", "laptop")) {
            for (int i = 0; i < 20; i++) {
                alice.sendChat("bob@localhost", "cross " + i);
            }
            for (int i = 0; i < 20; i++) {
                Message m = bob.next();
                assertThat(m.getBody()).isEqualTo("cross " + i);
                StanzaIdElement sid = StanzaIdElement.getStanzaId(m);
                assertThat(sid.getBy()).isEqualTo("bob@localhost");
                delivered.add(sid.getId());
            }
            // Right away, on the other node: node a's writer may still hold the rows (archive.writeDelay),
            // and node b, which showed them to bob, waits for them before answering.
            MamQuery right = MamManager.getInstanceFor(bob.connection()).queryArchive(
                    MamQueryArgs.builder().setResultPageSizeTo(250).build());
            assertThat(ids(right)).containsExactlyElementsOf(delivered);
            // Paging after an id bob saw live is no item-not-found either.
            MamQuery after = MamManager.getInstanceFor(bob.connection()).queryArchive(
                    MamQueryArgs.builder().afterUid(delivered.get(9)).setResultPageSizeTo(250).build());
            assertThat(ids(after)).containsExactlyElementsOf(delivered.subList(10, 20));
            // the sender's node flushes its own writer before answering: no waiting needed
            MamQuery sent = MamManager.getInstanceFor(alice.connection()).queryArchive(MamQueryArgs.builder().build());
            assertThat(ids(sent)).containsExactlyElementsOf(delivered);
        }
        // alice's history is the same from the other node
        try (MessageInbox alice = login(b, "alice", "tablet")) {
            assertThat(ids(all(alice, 20))).containsExactlyElementsOf(delivered);
        }
    }

    @Test
    void idsAreUniqueAcrossNodes() throws Exception {
        try (MessageInbox carol = login(a, "carol", "x"); MessageInbox dave = login(b, "dave", "y")) {
            for (int i = 0; i < 100; i++) {
                carol.sendChat("dave@localhost", "c" + i);
                dave.sendChat("carol@localhost", "d" + i);
            }
            for (int i = 0; i < 100; i++) {
                carol.next();
                dave.next();
            }
            MamQuery q = all(carol, 200);
            assertThat(q.getMessageCount()).isEqualTo(200);
            assertThat(new HashSet<>(ids(q))).hasSize(200);
            assertThat(q.isComplete()).isTrue();
        }
    }

    /**
     * Preferences are cached on every node that routes a user's messages; a change made on one
     * node reaches the others over the invalidation topic (as block lists do), not after a cache
     * lifetime: the node that archives for erin applies her new preference at once.
     */
    @Test
    void preferencesChangedOnOneNodeApplyOnTheOthers() throws Exception {
        try (MessageInbox erin = login(a, "erin", "phone"); MessageInbox frank = login(b, "frank", "desk")) {
            // Node b routes frank's messages, so it reads and caches erin's preferences: the default, always.
            frank.sendChat("erin@localhost", "kept");
            assertThat(StanzaIdElement.getStanzaId(erin.next())).as("archived for erin").isNotNull();

            MamManager mam = MamManager.getInstanceFor(erin.connection());
            MamManager.MamPrefs prefs = mam.retrieveArchivingPreferences().asMamPrefs();
            prefs.setDefaultBehavior(MamPrefsIQ.DefaultBehavior.never);
            mam.updateArchivingPreferences(prefs);

            // The invalidation travels over Redis, a moment; a cache lifetime would be far longer.
            Message unarchived = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            for (int i = 0; unarchived == null && System.nanoTime() < deadline; i++) {
                frank.sendChat("erin@localhost", "not kept " + i);
                Message m = erin.next();
                if (StanzaIdElement.getStanzaId(m) == null) {
                    unarchived = m;
                }
            }
            assertThat(unarchived).as("node b archives by erin's new preference").isNotNull();
            frank.sendChat("erin@localhost", "not kept either");
            assertThat(StanzaIdElement.getStanzaId(erin.next())).isNull();
            assertThat(erin.poll(Duration.ofMillis(200))).isNull();

            MamQuery history = MamManager.getInstanceFor(erin.connection()).queryArchive(MamQueryArgs.builder().build());
            assertThat(history.getMessages()).extracting(Message::getBody).startsWith("kept").doesNotContain("not kept either");
        }
    }
}
