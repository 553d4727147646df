package org.parley.feature.blocking;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.parley.testing.FuzzXml;
import org.parley.xmpp.Jid;

/** XEP-0191 block and unblock requests: normalised JIDs, or a stanza error. */
class BlockingCommandFuzzTest {

    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"<block xmlns='urn:xmpp:blocking'>", "<unblock xmlns='urn:xmpp:blocking'>", "<item jid='",
            "'/>", "romeo@montague.net", "/orchard", "montague.net"})
    void command(byte[] input) {
        FuzzXml.parseEach(input, e -> {
            for (String jid : BlockingCommand.from(e).jids()) {
                Jid.of(jid);
            }
        });
    }
}
