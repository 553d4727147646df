package org.parley.xmpp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import org.parley.testing.FuzzXml;
import org.parley.xml.Element;

/**
 * Addresses and stanzas from client input. A JID parses or throws {@link JidFormatException}, and
 * a parsed JID is canonical (its string form parses to itself). A first-level element wraps as a
 * stanza or is refused with {@link StanzaErrorException} (a bad address) or
 * {@link IllegalArgumentException} (not a stanza); the replies the server builds from it work.
 */
class StanzaFuzzTest {

    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"@", "/", "localhost", "example.com", "juliet", "\u00e9", "\u212b", "\ufb01", ".", "[::1]",
            "xn--", "\u0130", "\u03a3", "\u200d", " "})
    void jid(byte[] input) {
        String s = new String(input, StandardCharsets.UTF_8);
        Jid jid;
        try {
            jid = Jid.of(s);
        } catch (JidFormatException e) {
            assertThat(Jid.parseOrNull(s)).isNull();
            return;
        }
        assertThat(Jid.of(jid.toString())).isEqualTo(jid);
        assertThat(jid.bare().isBare()).isTrue();
        assertThat(Jid.of(jid.bare().toString())).isEqualTo(jid.bare());
        assertThat(jid.domainJid().isDomainOnly()).isTrue();
    }

    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"<message", "<presence", "<iq", " to='", " from='", " type='", " id='", "error", "get",
            "set", "result", "chat", "groupchat", "<error type='cancel'>",
            "<item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/>", "</error>", "juliet@localhost/r"})
    void stanza(byte[] input) {
        for (Element e : FuzzXml.elements(input)) {
            Stanza s;
            try {
                s = Stanza.of(e);
            } catch (StanzaErrorException | IllegalArgumentException refused) {
                continue;
            }
            assertThat(s.element()).isSameAs(e);
            s.type();
            s.id();
            s.payload();
            StanzaError.from(e);
            Jid me = Jid.of("juliet@localhost/r");
            Stanza error = s.errorReply(StanzaError.of(StanzaError.Condition.BAD_REQUEST, "x"), me);
            assertThat(error.isError()).isTrue();
            assertThat(Stanza.of(error.element()).kind()).isEqualTo(s.kind());
            s.withFrom(me).withTo(me);
            if (s.isIq()) {
                s.resultReply(null);
            }
        }
    }
}
