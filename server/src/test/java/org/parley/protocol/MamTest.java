package org.parley.protocol;

import org.parley.feature.mam.SqlArchiveStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.mam.MamManager;
import org.jxmpp.jid.impl.JidCreate;
import org.jivesoftware.smackx.mam.MamManager.MamQuery;
import org.jivesoftware.smackx.mam.MamManager.MamQueryArgs;
import org.jivesoftware.smackx.mam.element.MamElements.MamResultExtension;
import org.jivesoftware.smackx.mam.element.MamPrefsIQ;
import org.jivesoftware.smackx.sid.element.StanzaIdElement;
import org.jivesoftware.smackx.xdata.FormField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.feature.mam.ArchiveRecord;
import org.parley.testing.MessageInbox;
import org.parley.testing.RawStreamClient;
import org.parley.xml.Element;
import org.parley.testing.ServerExtension;

/** XEP-0313 message archive with XEP-0059 paging and XEP-0359 stanza-ids, as Smack's MamManager sees it. */
class MamTest {
    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of("PARLEY_ARCHIVE_COUNT_LIMIT", "25"));

    private static MamManager mam(MessageInbox inbox) {
        return MamManager.getInstanceFor(inbox.connection());
    }

    private static List<String> bodies(List<Message> messages) {
        return messages.stream().map(Message::getBody).toList();
    }

    private static List<String> ids(MamQuery q) {
        return q.getMamResultExtensions().stream().map(MamResultExtension::getId).toList();
    }

    @Test
    void bothSidesArchiveAndTheRecipientSeesTheArchiveId() throws Exception {
        try (MessageInbox alice = server.inbox("both-alice", "desk"); MessageInbox bob = server.inbox("both-bob", "phone")) {
            assertThat(mam(alice).isSupported()).isTrue();
            alice.sendChat("both-bob@localhost", "hello bob");
            Message received = bob.next();
            StanzaIdElement sid = StanzaIdElement.getStanzaId(received);
            assertThat(sid).as("XEP-0359 stanza-id on the delivered message").isNotNull();
            assertThat(sid.getBy()).isEqualTo("both-bob@localhost");

            MamQuery bobs = mam(bob).queryArchive(MamQueryArgs.builder().build());
            assertThat(bodies(bobs.getMessages())).containsExactly("hello bob");
            assertThat(ids(bobs)).containsExactly(sid.getId());
            assertThat(bobs.isComplete()).isTrue();
            MamQuery alices = mam(alice).queryArchive(MamQueryArgs.builder().build());
            assertThat(bodies(alices.getMessages())).containsExactly("hello bob");
            assertThat(alices.getMessages().get(0).getFrom().toString()).isEqualTo("both-alice@localhost/desk");
            assertThat(ids(alices)).containsExactly(sid.getId());
            assertThat(alices.getPage().getForwarded().get(0).getDelayInformation().getStamp()).isNotNull();
        }
    }

    @Test
    void forgedStanzaIdsAreStripped() throws Exception {
        try (MessageInbox alice = server.inbox("forge-alice", "desk"); MessageInbox bob = server.inbox("forge-bob", "phone")) {
            alice.connection().sendStanza(alice.connection().getStanzaFactory().buildMessageStanza()
                    .to(MessageInbox.jid("forge-bob@localhost")).ofType(Message.Type.chat).setBody("trust me")
                    .addExtension(new StanzaIdElement("fake-id", "forge-bob@localhost")).build());
            Message m = bob.next();
            List<StanzaIdElement> sids = m.getExtensions(StanzaIdElement.class);
            assertThat(sids).hasSize(1);
            assertThat(sids.get(0).getId()).isNotEqualTo("fake-id");
        }
    }

    @Test
    void aQueryRightAfterSendingSeesEveryMessage() throws Exception {
        try (MessageInbox alice = server.inbox("flush-alice", "desk")) {
            server.account("flush-bob");
            for (int i = 0; i < 300; i++) {
                alice.sendChat("flush-bob@localhost", "m" + i);
            }
            // no sync: the query is routed after the messages and waits for the writer. Its answer
            // comes after 300 offline stores, which a loaded machine can take longer than Smack's
            // usual 5 s for: the test is about what the answer holds, not how soon it comes.
            alice.connection().setReplyTimeout(Duration.ofSeconds(60).toMillis());
            MamQuery q = mam(alice).queryArchive(MamQueryArgs.builder()
                    .limitResultsToJid(JidCreate.entityBareFrom("flush-bob@localhost")).setResultPageSizeTo(250).build());
            assertThat(q.getMessageCount()).isEqualTo(250);
            assertThat(q.isComplete()).isFalse();
            List<Message> rest = q.pageNext(250);
            assertThat(rest).hasSize(50);
            assertThat(rest.get(49).getBody()).isEqualTo("m299");
            assertThat(q.isComplete()).isTrue();
        }
    }

    @Test
    void theCountIsGivenWhereItIsCheapOrAskedFor() throws Exception {
        try (MessageInbox alice = server.inbox("count-alice", "desk")) {
            server.account("count-bob");
            server.account("count-carol");
            for (int i = 0; i < 30; i++) {
                alice.sendChat(i % 3 == 0 ? "count-carol@localhost" : "count-bob@localhost", "c" + i);
            }
            MamManager mam = mam(alice);
            // One conversation: counted.
            MamQuery withBob = mam.queryArchive(MamQueryArgs.builder()
                    .limitResultsToJid(JidCreate.entityBareFrom("count-bob@localhost")).setResultPageSizeTo(5).build());
            assertThat(withBob.getPage().getMamFinIq().getRSMSet().getCount()).isEqualTo(20);
            // The whole archive in one page: the page is the count.
            MamQuery all = mam.queryArchive(MamQueryArgs.builder().setResultPageSizeTo(50).build());
            assertThat(all.isComplete()).isTrue();
            assertThat(all.getPage().getMamFinIq().getRSMSet().getCount()).isEqualTo(30);
            // More than archive.countLimit (25 here), page by page: counting would read past the limit.
            MamQuery paged = mam.queryArchive(MamQueryArgs.builder().setResultPageSizeTo(10).build());
            assertThat(paged.isComplete()).isFalse();
            assertThat(paged.getPage().getMamFinIq().getRSMSet().getCount()).isEqualTo(-1);
            // Within the limit, page by page: counted.
            MamQuery withCarol = mam.queryArchive(MamQueryArgs.builder()
                    .limitResultsToJid(JidCreate.entityBareFrom("count-carol@localhost")).setResultPageSizeTo(3).build());
            assertThat(withCarol.getPage().getMamFinIq().getRSMSet().getCount()).isEqualTo(10);
            // Asked for (max 0, XEP-0059 §2.7): counted, whatever the limit. Smack never sends max 0.
            try (RawStreamClient raw = RawStreamClient.loggedIn(server.get(), "count-alice",
                    ServerExtension.password("count-alice"), "raw")) {
                raw.send("<iq type='set' id='c0'><query xmlns='urn:xmpp:mam:2'><set xmlns='"
                        + "http://jabber.org/protocol/rsm'><max>0</max></set></query></iq>");
                Element fin = raw.expect(e -> "c0".equals(e.attr("id")), "the count").element("fin", "urn:xmpp:mam:2");
                assertThat(fin.element("set", "http://jabber.org/protocol/rsm").childText("count",
                        "http://jabber.org/protocol/rsm")).isEqualTo("30");
            }
        }
    }

    @Test
    void pagesTenThousandMessagesForwardsAndBackwards() throws Exception {
        server.account("page-alice");
        server.account("page-bob");
        List<ArchiveRecord> rows = new ArrayList<>();
        long base = 1_000_000_000L;
        for (int i = 0; i < 10_000; i++) {
            boolean out = i % 3 != 0;
            rows.add(new ArchiveRecord(base + i, out ? "page-alice" : "page-bob", out ? "page-bob" : "page-alice",
                    (out ? "page-alice" : "page-bob") + "@localhost", "r", (out ? "page-bob" : "page-alice") + "@localhost",
                    null, "n" + i, "<message xmlns='jabber:client' type='chat'><body>n" + i + "</body></message>"));
        }
        // Written beside the server's own store: the server sees them once they are in the archive's
        // deferred tables (the rows above their mark it finds through what its own writer wrote).
        SqlArchiveStore beside = new SqlArchiveStore(server.database());
        beside.append(rows);
        beside.indexPending();
        try (MessageInbox alice = server.inbox("page-alice", "desk")) {
            MamQuery q = mam(alice).queryArchive(MamQueryArgs.builder().setResultPageSizeTo(250).build());
            List<String> seen = new ArrayList<>(bodies(q.getMessages()));
            while (!q.isComplete()) {
                seen.addAll(bodies(q.pageNext(250)));
            }
            assertThat(seen).hasSize(10_000);
            for (int i = 0; i < 10_000; i++) {
                assertThat(seen.get(i)).isEqualTo("n" + i);
            }

            MamQuery back = mam(alice).queryArchive(MamQueryArgs.builder().setResultPageSizeTo(199).queryLastPage().build());
            List<String> backwards = new ArrayList<>(bodies(back.getMessages()));
            assertThat(backwards.get(backwards.size() - 1)).isEqualTo("n9999");
            while (!back.isComplete()) {
                List<String> page = bodies(back.pagePrevious(199));
                backwards.addAll(0, page);
            }
            assertThat(backwards).isEqualTo(seen);
        }
    }

    @Test
    void filtersByPeerAndTime() throws Exception {
        server.account("filter-bob");
        server.account("filter-carol");
        try (MessageInbox alice = server.inbox("filter-alice", "desk")) {
            alice.sendChat("filter-bob@localhost", "to bob 1");
            alice.sync();
            Thread.sleep(20);
            Instant middle = Instant.now();
            Thread.sleep(20);
            alice.sendChat("filter-carol@localhost", "to carol");
            alice.sendChat("filter-bob@localhost", "to bob 2");
            alice.sync();
            Thread.sleep(20);
            Instant after = Instant.now();
            Thread.sleep(20);
            alice.sendChat("filter-bob@localhost", "to bob 3");
            MamManager m = mam(alice);
            assertThat(bodies(m.queryArchive(MamQueryArgs.builder()
                    .limitResultsToJid(MessageInbox.jid("filter-bob@localhost")).build()).getMessages()))
                    .containsExactly("to bob 1", "to bob 2", "to bob 3");
            assertThat(bodies(m.queryArchive(MamQueryArgs.builder().limitResultsSince(Date.from(middle)).build())
                    .getMessages())).containsExactly("to carol", "to bob 2", "to bob 3");
            assertThat(bodies(m.queryArchive(MamQueryArgs.builder().limitResultsSince(Date.from(middle))
                    .limitResultsBefore(Date.from(after)).build()).getMessages())).containsExactly("to carol", "to bob 2");
            assertThat(bodies(m.queryArchive(MamQueryArgs.builder()
                    .limitResultsToJid(MessageInbox.jid("filter-bob@localhost"))
                    .limitResultsBefore(Date.from(middle)).build()).getMessages())).containsExactly("to bob 1");
        }
    }

    @Test
    void pagesFromIdsAndRejectsUnknownOnes() throws Exception {
        server.account("ids-bob");
        try (MessageInbox alice = server.inbox("ids-alice", "desk")) {
            for (int i = 0; i < 5; i++) {
                alice.sendChat("ids-bob@localhost", "x" + i);
            }
            MamManager m = mam(alice);
            List<String> all = ids(m.queryArchive(MamQueryArgs.builder().build()));
            assertThat(all).hasSize(5);
            assertThat(bodies(m.queryArchive(MamQueryArgs.builder().afterUid(all.get(1)).build()).getMessages()))
                    .containsExactly("x2", "x3", "x4");
            assertThat(bodies(m.queryArchive(MamQueryArgs.builder().beforeUid(all.get(3)).setResultPageSizeTo(2).build())
                    .getMessages())).containsExactly("x1", "x2");
            // the #extended form fields
            assertThat(bodies(m.queryArchive(MamQueryArgs.builder()
                    .withAdditionalFormField(FormField.textSingleBuilder("after-id").setValue(all.get(0)).build())
                    .withAdditionalFormField(FormField.textSingleBuilder("before-id").setValue(all.get(4)).build())
                    .build()).getMessages())).containsExactly("x1", "x2", "x3");
            assertThatThrownBy(() -> m.queryArchive(MamQueryArgs.builder().afterUid("12345").build()))
                    .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e ->
                            assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.item_not_found));
            assertThatThrownBy(() -> m.queryArchive(MamQueryArgs.builder().afterUid("not-an-id").build()))
                    .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e ->
                            assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.item_not_found));
        }
    }

    @Test
    void announcesTheQueryForm() throws Exception {
        try (MessageInbox alice = server.inbox("form-alice", "desk")) {
            List<String> vars = mam(alice).retrieveFormFields().stream().map(FormField::getFieldName).toList();
            assertThat(vars).contains("with", "start", "end", "before-id", "after-id", "{urn:xmpp:fulltext:0}fulltext");
        }
    }

    @Test
    void searchesFullText() throws Exception {
        server.account("text-bob");
        try (MessageInbox alice = server.inbox("text-alice", "desk")) {
            alice.sendChat("text-bob@localhost", "the quick brown fox");
            alice.sendChat("text-bob@localhost", "a lazy dog");
            alice.sendChat("text-bob@localhost", "Quick, lunch?");
            MamQuery q = mam(alice).queryArchive(MamQueryArgs.builder().withAdditionalFormField(
                    FormField.textSingleBuilder("{urn:xmpp:fulltext:0}fulltext").setValue("quick").build()).build());
            assertThat(bodies(q.getMessages())).containsExactly("the quick brown fox", "Quick, lunch?");
        }
    }

    @Test
    void preferencesDecideWhatIsKept() throws Exception {
        server.account("prefs-bob");
        server.account("prefs-carol");
        try (MessageInbox alice = server.inbox("prefs-alice", "desk");
             MessageInbox bob = server.inbox("prefs-bob", "phone")) {
            MamManager m = mam(alice);
            assertThat(m.retrieveArchivingPreferences().asMamPrefs().getDefaultBehavior())
                    .isEqualTo(MamPrefsIQ.DefaultBehavior.always);
            MamManager.MamPrefs prefs = m.retrieveArchivingPreferences().asMamPrefs();
            prefs.setDefaultBehavior(MamPrefsIQ.DefaultBehavior.never);
            prefs.getAlwaysJids().add(MessageInbox.jid("prefs-bob@localhost"));
            MamManager.MamPrefs stored = m.updateArchivingPreferences(prefs).asMamPrefs();
            assertThat(stored.getDefaultBehavior()).isEqualTo(MamPrefsIQ.DefaultBehavior.never);
            assertThat(stored.getAlwaysJids()).extracting(Object::toString).containsExactly("prefs-bob@localhost");

            alice.sendChat("prefs-carol@localhost", "not kept by alice");
            alice.sendChat("prefs-bob@localhost", "kept");
            assertThat(bob.next().getBody()).isEqualTo("kept");
            assertThat(bodies(m.queryArchive(MamQueryArgs.builder().build()).getMessages())).containsExactly("kept");
            // carol's own archive still has it: preferences apply per side
            try (MessageInbox carol = server.inbox("prefs-carol", "x")) {
                Message offline = carol.next();
                assertThat(StanzaIdElement.getStanzaId(offline)).isNotNull();
                assertThat(bodies(mam(carol).queryArchive(MamQueryArgs.builder().build()).getMessages()))
                        .containsExactly("not kept by alice");
            }
        }
    }

    @Test
    void othersArchivesAreForbidden() throws Exception {
        server.account("own-bob");
        try (MessageInbox alice = server.inbox("own-alice", "desk")) {
            MamManager other = MamManager.getInstanceFor(alice.connection(),
                    MessageInbox.jid("own-bob@localhost"));
            assertThatThrownBy(() -> other.queryArchive(MamQueryArgs.builder().build()))
                    .isInstanceOfSatisfying(XMPPException.XMPPErrorException.class, e ->
                            assertThat(e.getStanzaError().getCondition()).isEqualTo(StanzaError.Condition.forbidden));
        }
    }

    /**
     * A client keeps the last stanza-id it saw, goes offline, gets the rest as offline messages
     * and pages the archive after its last id: every message once, with the same ids both ways.
     */
    @Test
    void offlineDeliveryAndHistoryAgree() throws Exception {
        server.account("once-bob");
        Set<String> liveIds = new HashSet<>();
        String lastSeen;
        try (MessageInbox alice = server.inbox("once-alice", "desk")) {
            try (MessageInbox bob = server.inbox("once-bob", "phone")) {
                for (int i = 0; i < 10; i++) {
                    alice.sendChat("once-bob@localhost", "live " + i);
                }
                String last = null;
                for (int i = 0; i < 10; i++) {
                    last = StanzaIdElement.getStanzaId(bob.next()).getId();
                    liveIds.add(last);
                }
                lastSeen = last;
            }
            Thread.sleep(200); // bob's unavailable presence is processed
            for (int i = 0; i < 10; i++) {
                alice.sendChat("once-bob@localhost", "offline " + i);
            }
            alice.sync();
        }
        try (MessageInbox bob = server.inbox("once-bob", "phone")) {
            List<String> offlineIds = new ArrayList<>();
            while (offlineIds.size() < 10) {
                Message m = bob.next();
                String id = StanzaIdElement.getStanzaId(m).getId();
                if (m.getBody().startsWith("live ")) {
                    // XEP-0198 is at-least-once: a live message bob read but had not acknowledged when
                    // he closed comes again, with its stanza-id, so the client can drop it.
                    assertThat(liveIds).as("a redelivered message keeps its stanza-id").contains(id);
                    continue;
                }
                assertThat(m.getBody()).isEqualTo("offline " + offlineIds.size());
                offlineIds.add(id);
            }
            MamQuery q = mam(bob).queryArchive(MamQueryArgs.builder().afterUid(lastSeen).build());
            assertThat(bodies(q.getMessages())).containsExactly("offline 0", "offline 1", "offline 2", "offline 3",
                    "offline 4", "offline 5", "offline 6", "offline 7", "offline 8", "offline 9");
            assertThat(ids(q)).containsExactlyElementsOf(offlineIds);
            assertThat(q.isComplete()).isTrue();
            assertThat(offlineIds).doesNotContainAnyElementsOf(liveIds);
            assertThat(bob.poll(Duration.ofMillis(200))).as("the query's results are not new messages").satisfiesAnyOf(
                    x -> assertThat(x).isNull(), x -> assertThat(MamResultExtension.from(x)).isNotNull());
        }
    }
}
