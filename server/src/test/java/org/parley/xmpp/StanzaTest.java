package org.parley.xmpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.parley.xml.Element;
import org.parley.xml.SharedEncoding;
import org.parley.xml.XmlStrings;

class StanzaTest {

    @Test
    void errorReplySwapsAddressesAndKeepsPayload() {
        Stanza iq = Stanza.of(XmlStrings.parse(
                "<iq xmlns='jabber:client' from='a@x/r' to='x' type='get' id='1'><q xmlns='urn:q'/></iq>"));
        Stanza reply = iq.errorReply(StanzaError.of(StanzaError.Condition.SERVICE_UNAVAILABLE), Jid.of("x"));
        assertThat(reply.to()).isEqualTo(Jid.of("a@x/r"));
        assertThat(reply.from()).isEqualTo(Jid.of("x"));
        assertThat(reply.type()).isEqualTo("error");
        assertThat(reply.id()).isEqualTo("1");
        assertThat(reply.element().toXml(Namespaces.CLIENT)).isEqualTo("<iq from=\"x\" to=\"a@x/r\" type=\"error\" id=\"1\"><q xmlns=\"urn:q\"/>"
                + "<error type=\"cancel\" by=\"x\"><service-unavailable xmlns=\"urn:ietf:params:xml:ns:xmpp-stanzas\"/>"
                + "</error></iq>");
        assertThat(StanzaError.from(reply.element()).condition()).isEqualTo(StanzaError.Condition.SERVICE_UNAVAILABLE);
    }

    @Test
    void aFanOutCopyIsTheSharedCopyWithTheAddressesItWasGiven() {
        SharedEncoding shared = new SharedEncoding(XmlStrings.parse("<message xmlns='jabber:client' "
                + "from='room@conference.x/ann' type='groupchat'><body>hi</body></message>"));
        Stanza template = Stanza.of(shared.template());
        Jid to = Jid.of("b@x/phone");
        Stanza copy = template.copyTo(shared, to);
        assertThat(copy.to()).isSameAs(to);
        assertThat(copy.from()).isSameAs(template.from());
        assertThat(copy.element().sharedEncoding()).isSameAs(shared);
        assertThat(copy.element()).isEqualTo(shared.template().withAttr("to", "b@x/phone"));
        assertThat(copy.isMessage()).isTrue();
        assertThatThrownBy(() -> Stanza.of(shared.template().withAttr("id", "1")).copyTo(shared, to))
                .as("only the encoding's own template makes its copies").isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withElementKeepsTheAddressesItHasAndParsesChangedOnes() {
        Stanza m = Stanza.of(XmlStrings.parse("<message xmlns='jabber:client' from='a@x/r' to='b@x' type='chat'>"
                + "<body>hi</body></message>"));
        Stanza stamped = m.withElement(m.element().withChild(Element.empty("stanza-id", "urn:xmpp:sid:0")));
        assertThat(stamped.to()).isSameAs(m.to());
        assertThat(stamped.from()).isSameAs(m.from());
        assertThat(stamped.element().element("stanza-id", "urn:xmpp:sid:0")).isNotNull();

        Stanza moved = m.withElement(m.element().withAttr("to", "C@x/phone"));
        assertThat(moved.to()).isEqualTo(Jid.of("c@x/phone"));
        assertThat(moved.from()).isSameAs(m.from());
        assertThatThrownBy(() -> m.withElement(m.element().withAttr("to", "@x")))
                .isInstanceOf(StanzaErrorException.class);
        assertThat(m.withElement(m.element().withAttr("to", null)).to()).isNull();
    }

    @Test
    void resultReplyCarriesPayload() {
        Stanza iq = Stanza.iq(Jid.of("a@x/r"), Jid.of("x"), "get", "7", Element.empty("ping", "urn:xmpp:ping"));
        Stanza result = iq.resultReply(null);
        assertThat(result.element().toXml(Namespaces.CLIENT)).isEqualTo("<iq from=\"x\" to=\"a@x/r\" type=\"result\" id=\"7\"/>");
        assertThat(iq.payload().name()).isEqualTo("ping");
    }

    @Test
    void printsAsASummaryWithoutItsPayload() {
        Stanza message = Stanza.of(XmlStrings.parse("<message xmlns='jabber:client' from='a@x/r' to='b@x' type='chat'"
                + " id='m1&#10;forged line'><body>the secret plan</body></message>"));
        assertThat(message.toString()).isEqualTo("message type=chat id=m1?forged line from=a@x/r to=b@x");
        Stanza iq = Stanza.iq(Jid.of("a@x/r"), Jid.of("x"), "set", "r1", Element.builder("query", "jabber:iq:register")
                .textChild("password", "jabber:iq:register", "hunter2").build());
        assertThat(iq.toString()).isEqualTo("iq type=set id=r1 from=a@x/r to=x payload={jabber:iq:register}query");
    }

    @Test
    void malformedAddressIsJidMalformed() {
        Element e = XmlStrings.parse("<message xmlns='jabber:client' to='a@@b'/>");
        assertThatThrownBy(() -> Stanza.of(e))
                .isInstanceOfSatisfying(StanzaErrorException.class,
                        ex -> assertThat(ex.error().condition()).isEqualTo(StanzaError.Condition.JID_MALFORMED));
    }

    @Test
    void withFromIsANewStanza() {
        Stanza m = Stanza.message(null, Jid.of("b@x"), "chat");
        Stanza stamped = m.withFrom(Jid.of("a@x/r"));
        assertThat(m.from()).isNull();
        assertThat(stamped.from()).isEqualTo(Jid.of("a@x/r"));
        assertThat(stamped.element().attr("from")).isEqualTo("a@x/r");
    }
}
