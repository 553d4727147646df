package org.parley.xmpp.delay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.Jid;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/** XEP-0203 delays, with the XEP's own examples (§5). */
class DelayTest {

    @Test
    void readsTheOfflineStorageExample() {
        Element message = XmlStrings.parse("""
                <message from='romeo@montague.net/orchard' to='juliet@capulet.com' type='chat' xmlns='jabber:client'>
                  <body>O blessed, blessed night! I am afeard.</body>
                  <delay xmlns='urn:xmpp:delay' from='capulet.com' stamp='2002-09-10T23:08:25Z'>Offline Storage</delay>
                </message>""");
        Delay d = Delay.in(message);
        assertThat(d).isEqualTo(new Delay(Instant.parse("2002-09-10T23:08:25Z"), Jid.domain("capulet.com"),
                "Offline Storage"));
        assertThat(Delay.present(message)).isTrue();
        assertThat(Delay.from(d.toElement())).isEqualTo(d);
    }

    @Test
    void readsFractionsAndOffsets() {
        // XEP-0082 DateTime: fractions of a second and a time zone offset are allowed.
        Delay d = Delay.from(XmlStrings.parse("<delay xmlns='urn:xmpp:delay' stamp='2002-09-10T23:41:07.123-05:00'/>"));
        assertThat(d.stamp()).isEqualTo(Instant.parse("2002-09-11T04:41:07.123Z"));
        assertThat(d.from()).isNull();
        assertThat(d.reason()).isNull();
    }

    @Test
    void writesTheStampInUtc() {
        Element e = new Delay(Instant.parse("2024-01-02T03:04:05.600Z"), Jid.domain("localhost")).toElement();
        assertThat(e.attr("stamp")).isEqualTo("2024-01-02T03:04:05.600Z");
        assertThat(e.attr("from")).isEqualTo("localhost");
    }

    @Test
    void replacesADelayTheSenderPutThere() {
        Element message = XmlStrings.parse("<message xmlns='jabber:client'><body>hi</body>"
                + "<delay xmlns='urn:xmpp:delay' stamp='1999-01-01T00:00:00Z'/></message>");
        Delay ours = new Delay(Instant.parse("2024-01-01T00:00:00Z"), Jid.domain("localhost"));
        Element stamped = ours.replaceIn(message);
        assertThat(stamped.elements(Delay.ELEMENT, Delay.NAMESPACE)).hasSize(1);
        assertThat(Delay.in(stamped)).isEqualTo(ours);
    }

    @Test
    void aBadStampIsABadRequest() {
        for (String bad : new String[] {"<delay xmlns='urn:xmpp:delay'/>", "<delay xmlns='urn:xmpp:delay' stamp='yesterday'/>",
                "<delay xmlns='urn:xmpp:delay' stamp='2002-09-10T23:08:25Z' from='a@@b'/>"}) {
            assertThatThrownBy(() -> Delay.from(XmlStrings.parse(bad))).as(bad)
                    .isInstanceOfSatisfying(StanzaErrorException.class,
                            e -> assertThat(e.error().condition()).isEqualTo(Condition.BAD_REQUEST));
        }
    }
}
