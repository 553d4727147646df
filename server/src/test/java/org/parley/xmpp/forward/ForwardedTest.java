package org.parley.xmpp.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/** XEP-0297 forwards, with the XEP's own example (§3.1). */
class ForwardedTest {

    @Test
    void readsTheForwardedMessageExample() {
        Element outer = XmlStrings.parse("""
                <message to='mercutio@verona.lit' from='romeo@montague.lit/orchard' type='chat' id='28gs' xmlns='jabber:client'>
                  <body>A most courteous exposition!</body>
                  <forwarded xmlns='urn:xmpp:forward:0'>
                    <delay xmlns='urn:xmpp:delay' stamp='2010-07-10T23:08:25Z'/>
                    <message from='juliet@capulet.lit/orchard' id='0202197' to='romeo@montague.lit' type='chat'
                             xmlns='jabber:client'>
                        <body>Yet I should kill thee with much cherishing.</body>
                        <mood xmlns='http://jabber.org/protocol/mood'><amorous/></mood>
                    </message>
                  </forwarded>
                </message>""");
        Forwarded f = Forwarded.in(outer);
        assertThat(f.delay().stamp()).isEqualTo(Instant.parse("2010-07-10T23:08:25Z"));
        assertThat(f.stanza().namespace()).isEqualTo(Namespaces.CLIENT);
        assertThat(f.stanza().attr("id")).isEqualTo("0202197");
        assertThat(f.stanza().childText("body", Namespaces.CLIENT)).isEqualTo("Yet I should kill thee with much cherishing.");
        assertThat(Forwarded.from(f.toElement())).isEqualTo(f);
    }

    @Test
    void writesTheDelayBeforeTheStanza() {
        Element message = Element.builder("message", Namespaces.CLIENT).attr("id", "1").build();
        Element e = new Forwarded(new org.parley.xmpp.delay.Delay(Instant.EPOCH, null), message).toElement();
        assertThat(e.elements()).extracting(Element::name).containsExactly("delay", "message");
        assertThat(new Forwarded(message).toElement().elements()).containsExactly(message);
    }

    @Test
    void aForwardOfNoStanzaIsABadRequest() {
        for (String bad : new String[] {"<forwarded xmlns='urn:xmpp:forward:0'/>",
                "<forwarded xmlns='urn:xmpp:forward:0'><message xmlns='urn:example'/></forwarded>",
                "<forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client'/><message xmlns='jabber:client'/></forwarded>",
                "<forwarded xmlns='urn:xmpp:forward:0'><delay xmlns='urn:xmpp:delay'/><message xmlns='jabber:client'/></forwarded>"}) {
            assertThatThrownBy(() -> Forwarded.from(XmlStrings.parse(bad))).as(bad)
                    .isInstanceOfSatisfying(StanzaErrorException.class,
                            e -> assertThat(e.error().condition()).isEqualTo(Condition.BAD_REQUEST));
        }
    }
}
