package org.parley.feature.roster;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.parley.testing.FuzzXml;

/** Roster sets (RFC 6121 §2.3): one bare-JID item with distinct, non-empty groups, or a stanza error. */
class RosterQueryFuzzTest {

    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"<query xmlns='jabber:iq:roster'>", "<item jid='", " name='", " subscription='remove'",
            "<group>", "</group>", "</item>", "juliet@localhost", "/r"})
    void change(byte[] input) {
        FuzzXml.parseEach(input, e -> {
            RosterQuery.Change change = RosterQuery.change(e);
            assertThat(change.jid().isBare()).isTrue();
            assertThat(change.groups()).doesNotHaveDuplicates().doesNotContain("");
        });
    }
}
