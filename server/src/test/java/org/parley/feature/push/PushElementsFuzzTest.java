package org.parley.feature.push;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.parley.testing.FuzzXml;

/** XEP-0357 enable and disable requests: read, or a stanza error. */
class PushElementsFuzzTest {

    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"<enable xmlns='urn:xmpp:push:0'", "<disable xmlns='urn:xmpp:push:0'", " jid='", " node='",
            "push.example.com", "<x xmlns='jabber:x:data' type='submit'>", "FORM_TYPE",
            "http://jabber.org/protocol/pubsub#publish-options"})
    void request(byte[] input) {
        FuzzXml.parseEach(input, e -> {
            if (e.name().equals("disable")) {
                PushElements.Disable.from(e);
            } else {
                PushElements.Enable.from(e);
            }
        });
    }
}
