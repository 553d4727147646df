package org.parley.xmpp.hints;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;

/** XEP-0334 hints, with the XEP's own example (§3.1). */
class HintTest {

    @Test
    void readsTheSessionBasedStanzasExample() {
        Element message = XmlStrings.parse("""
                <message from='romeo@montague.lit/laptop' to='juliet@capulet.lit/laptop' xmlns='jabber:client'>
                  <body>V unir avtug'f pybnx gb uvqr zr sebz gurve fvtug</body>
                  <no-copy xmlns="urn:xmpp:hints"/>
                  <no-store xmlns="urn:xmpp:hints"/>
                </message>""");
        assertThat(Hint.in(message)).containsExactlyInAnyOrder(Hint.NO_COPY, Hint.NO_STORE);
        assertThat(Hint.NO_STORE.isIn(message)).isTrue();
        assertThat(Hint.NO_PERMANENT_STORE.isIn(message)).isFalse();
    }

    @Test
    void namesItsElements() {
        assertThat(Hint.NO_PERMANENT_STORE.toElement()).isEqualTo(XmlStrings.parse("<no-permanent-store xmlns='urn:xmpp:hints'/>"));
        assertThat(Hint.STORE.element()).isEqualTo("store");
        for (Hint h : Hint.values()) {
            assertThat(Hint.from(h.toElement())).isEqualTo(h);
        }
        assertThat(Hint.from(XmlStrings.parse("<no-eat xmlns='urn:xmpp:hints'/>"))).isNull();
        assertThat(Hint.from(XmlStrings.parse("<no-store xmlns='urn:example'/>"))).isNull();
    }
}
