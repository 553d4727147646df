package org.parley.feature.caps;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.parley.testing.FuzzXml;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaErrorException;

/** XEP-0115 caps in client presence, and the verification string of a client's disco#info answer. */
class CapsFuzzTest {

    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"<presence>", "<c xmlns='http://jabber.org/protocol/caps'", " hash='sha-1'", " node='",
            " ver='", "<query xmlns='http://jabber.org/protocol/disco#info'>", "<identity category='client'",
            " type='pc'", " name='", "<feature var='", "<x xmlns='jabber:x:data' type='result'>", "<field var='",
            "FORM_TYPE", "<value>", "xml:lang='en'"})
    void presenceAndDiscoInfo(byte[] input) {
        FuzzXml.parseEach(input, e -> {
            if (e.name().equals("presence")) {
                try {
                    Caps.from(Stanza.of(e));
                } catch (StanzaErrorException | IllegalArgumentException notAStanza) {
                    return;
                }
            } else if (e.name().equals("query")) {
                VerificationString.of(e);
            }
        });
    }
}
