package org.parley.feature.caps;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;

/** The XEP-0115 §5 algorithm against the XEP's own examples. */
class VerificationStringTest {

    private static Element query(String inner) {
        return XmlStrings.parse("<query xmlns='http://jabber.org/protocol/disco#info'>" + inner + "</query>");
    }

    @Test
    void simpleGenerationExample() {
        Element q = query("<identity category='client' name='Exodus 0.9.1' type='pc'/>"
                + "<feature var='http://jabber.org/protocol/caps'/><feature var='http://jabber.org/protocol/disco#info'/>"
                + "<feature var='http://jabber.org/protocol/disco#items'/><feature var='http://jabber.org/protocol/muc'/>");

        assertThat(VerificationString.of(q)).isEqualTo("client/pc//Exodus 0.9.1<http://jabber.org/protocol/caps<"
                + "http://jabber.org/protocol/disco#info<http://jabber.org/protocol/disco#items<http://jabber.org/protocol/muc<");
        assertThat(VerificationString.ver(q, "sha-1")).isEqualTo("QgayPKawpkPSDYmwT/WM94uAlu0=");
    }

    @Test
    void complexGenerationExampleWithExtendedForm() {
        Element q = query("<identity xml:lang='en' category='client' name='Psi 0.11' type='pc'/>"
                + "<identity xml:lang='el' category='client' name='\u03a8 0.11' type='pc'/>"
                + "<feature var='http://jabber.org/protocol/disco#items'/><feature var='http://jabber.org/protocol/caps'/>"
                + "<feature var='http://jabber.org/protocol/disco#info'/><feature var='http://jabber.org/protocol/muc'/>"
                + "<x xmlns='jabber:x:data' type='result'>"
                + "<field var='FORM_TYPE' type='hidden'><value>urn:xmpp:dataforms:softwareinfo</value></field>"
                + "<field var='ip_version'><value>ipv4</value><value>ipv6</value></field>"
                + "<field var='os'><value>Mac</value></field>"
                + "<field var='os_version'><value>10.5.1</value></field>"
                + "<field var='software'><value>Psi</value></field>"
                + "<field var='software_version'><value>0.11</value></field></x>");

        assertThat(VerificationString.ver(q, "sha-1")).isEqualTo("q07IKJEyjvHSyhy//CH0CxmKi8w=");
    }

    @Test
    void duplicateFeaturesOrIdentitiesMakeTheResultUnusable() {
        assertThat(VerificationString.ver(query("<feature var='a'/><feature var='a'/>"), "sha-1")).isNull();
        assertThat(VerificationString.ver(query("<identity category='client' type='pc'/>"
                + "<identity category='client' type='pc'/>"), "sha-1")).isNull();
        assertThat(VerificationString.ver(query("<feature var='a'/>"), "no-such-hash")).isNull();
    }
}
