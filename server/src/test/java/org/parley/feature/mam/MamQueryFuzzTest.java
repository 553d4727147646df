package org.parley.feature.mam;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.parley.testing.FuzzXml;

/** XEP-0313 queries from clients: parsed, or answered with a stanza error, never another exception. */
class MamQueryFuzzTest {

    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"<query xmlns='urn:xmpp:mam:2'", "<x xmlns='jabber:x:data' type='submit'>",
            "<field var='", "FORM_TYPE", "urn:xmpp:mam:2", "with", "start", "end", "before-id", "after-id", "ids",
            "{urn:xmpp:fulltext:0}fulltext", "<value>", "</value>", "</field>", "<set xmlns='http://jabber.org/protocol/rsm'>",
            "<max>", "</max>", "<before>", "</before>", "<after>", "<index>", "<flip-page/>", "2010-06-07T00:00:00Z",
            "1970-01-01T00:00:00.000+01:00", "0000000001", "queryid='"})
    void query(byte[] input) {
        FuzzXml.parseEach(input, e -> MamQuery.parse(e, 50, 250, id -> id % 2 == 0));
    }
}
