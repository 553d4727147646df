package org.parley.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.xml.Element;
import org.parley.xml.XmlStreamDecoder;
import org.parley.xmpp.Namespaces;

/** Parsing XEP-0124 request bodies with the stream decoder's restrictions, and XEP-0206's payload namespaces. */
class BoshBodyTest {
    private static Element parse(String xml) throws BoshBody.Malformed {
        return BoshBody.parse(xml.getBytes(StandardCharsets.UTF_8), 8, XmlStreamDecoder.secureFactory());
    }

    @Test
    void readsTheBodyItsAttributesAndPayloads() throws Exception {
        Element body = parse("<body xmlns='" + BoshBody.NAMESPACE + "' xmlns:x='urn:xmpp:xbosh' sid='abc' rid='5'"
                + " x:restart='true'><message xmlns='jabber:client' to='a@b'><body>hi</body></message></body>");
        assertThat(body.attr("sid")).isEqualTo("abc");
        assertThat(BoshBody.number(body, "rid", -1)).isEqualTo(5);
        assertThat(BoshBody.number(body, "wait", 60)).isEqualTo(60);
        assertThat(BoshBody.xbosh(body, "restart")).as("whatever the prefix").isEqualTo("true");
        List<Element> payloads = BoshBody.payloads(body);
        assertThat(payloads).hasSize(1);
        assertThat(payloads.get(0).is("message", Namespaces.CLIENT)).isTrue();
    }

    @Test
    void emptyBodiesParse() throws Exception {
        assertThat(parse("<body xmlns='" + BoshBody.NAMESPACE + "' sid='no-such-session' rid='5'/>").attr("sid"))
                .isEqualTo("no-such-session");
        assertThat(parse("<?xml version='1.0'?><body xmlns='" + BoshBody.NAMESPACE + "' rid='5'></body>").attr("rid"))
                .isEqualTo("5");
    }

    @Test
    void unqualifiedStanzasAreJabberClient() throws Exception {
        Element body = parse("<body xmlns='" + BoshBody.NAMESPACE + "'><message to='a@b'><body>hi</body></message>"
                + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'/></body>");
        List<Element> payloads = BoshBody.payloads(body);
        assertThat(payloads.get(0).is("message", Namespaces.CLIENT)).isTrue();
        assertThat(payloads.get(0).childText("body", Namespaces.CLIENT)).isEqualTo("hi");
        assertThat(payloads.get(1).is("auth", Namespaces.SASL)).isTrue();
    }

    @Test
    void anythingElseIsMalformed() {
        for (String bad : List.of("<nobody/>", "<body xmlns='" + BoshBody.NAMESPACE + "'", "",
                "<body xmlns='" + BoshBody.NAMESPACE + "'/><body xmlns='" + BoshBody.NAMESPACE + "'/>",
                "<!DOCTYPE body [<!ENTITY x 'y'>]><body xmlns='" + BoshBody.NAMESPACE + "'/>",
                "<body xmlns='" + BoshBody.NAMESPACE + "'><a><b><c><d><e><f><g><h><i/></h></g></f></e></d></c></b></a></body>")) {
            assertThatThrownBy(() -> parse(bad)).as(bad).isInstanceOf(BoshBody.Malformed.class);
        }
    }
}
