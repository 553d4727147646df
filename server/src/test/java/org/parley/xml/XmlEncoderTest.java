package org.parley.xml;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class XmlEncoderTest {

    @Test
    void writesStanzasWithoutRepeatingTheStreamNamespace() {
        Element message = Element.builder("message", "jabber:client").attr("to", "juliet@example.com")
                .child(Element.builder("body", "jabber:client").text("caf\u00e9 & <tea>").build())
                .child(Element.empty("request", "urn:xmpp:receipts"))
                .build();

        assertThat(encode(new XmlEncoder(), message)).isEqualTo(
                "<message to=\"juliet@example.com\"><body>caf\u00e9 &amp; &lt;tea&gt;</body>"
                        + "<request xmlns=\"urn:xmpp:receipts\"/></message>");
    }

    @Test
    void streamNamespaceIsConfigurableForComponents() {
        XmlEncoder encoder = new XmlEncoder("jabber:component:accept");

        assertThat(encode(encoder, Element.empty("handshake", "jabber:component:accept"))).isEqualTo("<handshake/>");
        assertThat(encode(new XmlEncoder("jabber:component:accept"), Element.empty("message", "jabber:client")))
                .isEqualTo("<message xmlns=\"jabber:client\"/>");
    }

    @Test
    void writesCharSequencesVerbatimAsUtf8() {
        EmbeddedChannel channel = new EmbeddedChannel(new XmlEncoder());
        channel.writeOutbound(" ", new StringBuilder("<x>\u20ac</x>"));

        assertThat(readString(channel)).isEqualTo(" ");
        ByteBuf second = channel.readOutbound();
        assertThat(bytesOf(second)).containsExactly("<x>\u20ac</x>".getBytes(UTF_8));
    }

    @Test
    void writesHeaderAndEnd() {
        EmbeddedChannel channel = new EmbeddedChannel(new XmlEncoder());
        channel.writeOutbound(StreamHeader.of("jabber:client", "s1", "example.com", null, "1.0", "en"),
                new StreamEnd());

        assertThat(readString(channel)).isEqualTo("<?xml version='1.0'?><stream:stream xmlns=\"jabber:client\""
                + " xmlns:stream=\"http://etherx.jabber.org/streams\" id=\"s1\" from=\"example.com\""
                + " version=\"1.0\" xml:lang=\"en\">");
        assertThat(readString(channel)).isEqualTo("</stream:stream>");
    }

    @Test
    void passesOtherMessagesThrough() {
        EmbeddedChannel channel = new EmbeddedChannel(new XmlEncoder());
        ByteBuf raw = Unpooled.copiedBuffer("raw", UTF_8);
        channel.writeOutbound(raw);

        ByteBuf out = channel.readOutbound();
        assertThat(out).isSameAs(raw);
        out.release();
    }

    @Test
    void encodedStreamDecodesToTheSameObjects() {
        StreamHeader header = StreamHeader.of("jabber:client", "abc", "example.com", "juliet@example.com", "1.0", "en");
        Element iq = Element.builder("iq", "jabber:client").attr("type", "result").attr("id", "x\"'<&")
                .child(Element.builder("bind", "urn:ietf:params:xml:ns:xmpp-bind")
                        .textChild("jid", "urn:ietf:params:xml:ns:xmpp-bind", "juliet@example.com/balcony").build())
                .build();
        EmbeddedChannel encoder = new EmbeddedChannel(new XmlEncoder());
        encoder.writeOutbound(header, " ", iq, new StreamEnd());
        EmbeddedChannel decoder = new EmbeddedChannel(new XmlStreamDecoder(XmlLimits.defaults()));
        for (ByteBuf b; (b = encoder.readOutbound()) != null; ) {
            decoder.writeInbound(b);
        }

        assertThat((Object) decoder.readInbound()).isEqualTo(header);
        assertThat((Object) decoder.readInbound()).isEqualTo(iq);
        assertThat((Object) decoder.readInbound()).isEqualTo(new StreamEnd());
    }

    @Test
    void headerEscapesAttributeValues() {
        StreamHeader header = StreamHeader.of("jabber:client", "a\"b<c&", null, null, null, null);

        assertThat(header.toXml()).endsWith(" id=\"a&quot;b&lt;c&amp;\">");
    }

    private static String encode(XmlEncoder encoder, Object msg) {
        EmbeddedChannel channel = new EmbeddedChannel(encoder);
        channel.writeOutbound(msg);
        return readString(channel);
    }

    private static String readString(EmbeddedChannel channel) {
        ByteBuf buf = channel.readOutbound();
        try {
            return buf.toString(UTF_8);
        } finally {
            buf.release();
        }
    }

    private static byte[] bytesOf(ByteBuf buf) {
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }
}
