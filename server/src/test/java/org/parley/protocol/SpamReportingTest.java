package org.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.MessageInbox;
import org.parley.testing.RawStreamClient;
import org.parley.testing.ServerExtension;
import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;

/**
 * XEP-0377: a report inside a XEP-0191 block item is kept for the operator, the block holds as
 * without it, and the server announces {@code urn:xmpp:reporting:1}. Two clients keep chatting.
 */
class SpamReportingTest {

    @RegisterExtension
    static final ServerExtension server = ServerExtension.withEnv(Map.of("PARLEY_REPORTING_MAX_PER_USER", "2"));

    /** Each kept report: reporter, jid, reason, text, stanza ids. */
    private static List<List<String>> reports(String reporter) {
        return server.database().jdbc().read("reports", c -> {
            List<List<String>> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT jid, reason, text, stanza_ids FROM abuse_reports WHERE reporter = ? ORDER BY id")) {
                ps.setString(1, reporter);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(java.util.Arrays.asList(rs.getString(1), rs.getString(2), rs.getString(3),
                                rs.getString(4)));
                    }
                }
            }
            return rows;
        });
    }

    private static Element block(RawStreamClient c, String id, String items) throws Exception {
        c.send("<iq type='set' id='" + id + "'><block xmlns='urn:xmpp:blocking'>" + items + "</block></iq>");
        return c.expect(e -> e.is("iq", Namespaces.CLIENT) && id.equals(e.attr("id")), "the block's answer");
    }

    @Test
    void theServerAnnouncesReporting() throws Exception {
        var c = server.login("rep-disco");
        try {
            assertThat(ServiceDiscoveryManager.getInstanceFor(c).serverSupportsFeature("urn:xmpp:reporting:1"))
                    .isTrue();
        } finally {
            c.disconnect();
        }
    }

    @Test
    void aReportIsKeptAndTheSpammerIsBlocked() throws Exception {
        try (MessageInbox alice = server.inbox("sr-alice", "a");
             MessageInbox bob = server.inbox("sr-bob", "b");
             RawStreamClient victim = server.bound("sr-victim", "v");
             RawStreamClient spammer = server.bound("sr-spammer", "s")) {
            victim.send("<presence/>");
            spammer.send("<message type='chat' to='sr-victim@localhost/v' id='spam1'><body>cheap pills</body></message>");
            Element spam = victim.expect(e -> e.is("message", Namespaces.CLIENT), "the spam");
            String stanzaId = spam.element("stanza-id", Namespaces.STANZA_ID).attr("id");

            Element answer = block(victim, "b1", "<item jid='sr-spammer@localhost'>"
                    + "<report xmlns='urn:xmpp:reporting:1' reason='urn:xmpp:reporting:spam'>"
                    + "<stanza-id xmlns='urn:xmpp:sid:0' by='sr-victim@localhost' id='" + stanzaId + "'/>"
                    + "<text xml:lang='en'>Never asked for   pills</text><unknown xmlns='urn:example'/>"
                    + "</report></item>");
            assertThat(answer.attr("type")).isEqualTo("result");
            assertThat(reports("sr-victim")).containsExactly(List.of("sr-spammer@localhost",
                    "urn:xmpp:reporting:spam", "Never asked for   pills", "sr-victim@localhost " + stanzaId));

            // The block holds as without a report: the spammer's next message bounces.
            spammer.send("<message type='chat' to='sr-victim@localhost/v' id='spam2'><body>more pills</body></message>");
            Element bounced = spammer.expect(e -> "spam2".equals(e.attr("id")), "the bounce");
            assertThat(RawStreamClient.stanzaErrorCondition(bounced)).isEqualTo("service-unavailable");
            alice.chatWith(bob, "still chatting");
        }
    }

    @Test
    void reportsAreBoundedPerReporterAndNeverFailTheBlock() throws Exception {
        try (MessageInbox alice = server.inbox("rb-alice", "a");
             MessageInbox bob = server.inbox("rb-bob", "b");
             RawStreamClient victim = server.bound("rb-victim", "v")) {
            // No reason (the XEP requires one): the block still holds, the report is kept as given.
            assertThat(block(victim, "n1", "<item jid='one@localhost'><report xmlns='urn:xmpp:reporting:1'/></item>")
                    .attr("type")).isEqualTo("result");
            assertThat(block(victim, "n2", "<item jid='two@localhost'><report xmlns='urn:xmpp:reporting:1'"
                    + " reason='urn:xmpp:reporting:abuse'/></item><item jid='three@localhost'/>").attr("type"))
                    .isEqualTo("result");
            // reporting.maxPerUser is 2: the third report is not kept, the block is made all the same.
            assertThat(block(victim, "n3", "<item jid='four@localhost'><report xmlns='urn:xmpp:reporting:1'"
                    + " reason='urn:xmpp:reporting:spam'/></item>").attr("type")).isEqualTo("result");
            assertThat(reports("rb-victim")).extracting(r -> r.get(0) + " " + r.get(1))
                    .containsExactly("one@localhost null", "two@localhost urn:xmpp:reporting:abuse");
            victim.send("<iq type='get' id='bl'><blocklist xmlns='urn:xmpp:blocking'/></iq>");
            Element list = victim.expect(e -> "bl".equals(e.attr("id")), "the block list");
            assertThat(list.element("blocklist", "urn:xmpp:blocking").elements("item", "urn:xmpp:blocking"))
                    .extracting(i -> i.attr("jid"))
                    .containsExactlyInAnyOrder("one@localhost", "two@localhost", "three@localhost", "four@localhost");
            alice.chatWith(bob, "still chatting");
        }
    }
}
