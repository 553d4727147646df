package org.parley.feature.sm;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.Jid;

/** The record a resumable session leaves for another cluster node. */
class SmLogTest {

    @Test
    void theResumptionIdNamesTheResourceForTheUserWhoResumes() {
        String id = SmLog.newId(new SecureRandom(), "phone.2/ünï");
        assertThat(SmLog.fullJid(id, "alice", "localhost")).isEqualTo(Jid.of("alice", "localhost", "phone.2/ünï"));
        assertThat(SmLog.fullJid("not-one-of-ours", "alice", "localhost")).isNull();
        assertThat(SmLog.fullJid("x.%%%", "alice", "localhost")).isNull();
        assertThat(SmLog.isOf(SmLog.share(id, 300_000), id)).isTrue();
        assertThat(SmLog.isOf(SmLog.share(id + "x", 300_000), id)).isFalse();
        assertThat(SmLog.window(SmLog.share(id, 300_000))).isEqualTo(300_000);
    }

    @Test
    void entriesComeBackInOrderWithTheStanzaIdOfTheUsersArchive() {
        Element m = XmlStrings.parse("<message xmlns='jabber:client' to='alice@localhost'><body>hi there</body>"
                + "<stanza-id xmlns='urn:xmpp:sid:0' by='bob@localhost' id='B1'/>"
                + "<stanza-id xmlns='urn:xmpp:sid:0' by='alice@localhost' id='A1'/></message>");
        Element p = XmlStrings.parse("<presence xmlns='jabber:client' from='bob@localhost/r'/>");
        Instant t = Instant.ofEpochMilli(1_000_000);
        String second = SmLog.encode(new SmState.Pending(2, p, t.plusMillis(5)), "alice@localhost");
        String first = SmLog.encode(new SmState.Pending(1, m, t), "alice@localhost");
        List<SmLog.Entry> log = SmLog.parse(List.of(second, "garbage", first));
        assertThat(log).extracting(SmLog.Entry::seq).containsExactly(1L, 2L);
        assertThat(log.get(0).stanzaId()).isEqualTo("A1");
        assertThat(log.get(0).queued()).isEqualTo(t);
        assertThat(log.get(0).stanza().childText("body", "jabber:client")).isEqualTo("hi there");
        assertThat(log.get(1).stanzaId()).isNull();
    }

    @Test
    void inDoubtIsWhatTheDirectorySaysNotNarrowedByTheNewestLogEntry() {
        // A message archived at 10 s and still on the bus (or queued before the session) when the
        // node died is not in the log, although the log's newest entry is from 50 s: it is in doubt.
        assertThat(SmLog.inDoubtSince(null)).as("handed over cleanly").isNull();
        assertThat(SmLog.inDoubtSince("10000")).isEqualTo(Instant.ofEpochMilli(10_000));
    }
}
