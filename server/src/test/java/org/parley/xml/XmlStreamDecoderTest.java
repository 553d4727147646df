package org.parley.xml;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.xml.XmlStreamException.Kind;

class XmlStreamDecoderTest {
    private static final String CLIENT = "jabber:client";
    private static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0' xml:lang='en'>";

    @Test
    void parsesStreamHeader() {
        List<Object> out = decode(HEADER);

        assertThat(out).hasSize(1);
        StreamHeader header = (StreamHeader) out.get(0);
        assertThat(header.namespace()).isEqualTo(CLIENT);
        assertThat(header.streamNamespace()).isEqualTo(StreamHeader.STREAMS_NAMESPACE);
        assertThat(header.localName()).isEqualTo("stream");
        assertThat(header.attributes()).containsExactly(
                entry("to", "example.com"), entry("version", "1.0"), entry("xml:lang", "en"));
        assertThat(header.to()).isEqualTo("example.com");
        assertThat(header.lang()).isEqualTo("en");
        assertThat(header.from()).isNull();
    }

    @Test
    void headerWithoutXmlDeclarationAndComponentNamespace() {
        List<Object> out = decode("<stream:stream xmlns:stream='http://etherx.jabber.org/streams'"
                + " xmlns='jabber:component:accept' to='muc.example.com'>");

        StreamHeader header = (StreamHeader) out.get(0);
        assertThat(header.namespace()).isEqualTo("jabber:component:accept");
        assertThat(header.to()).isEqualTo("muc.example.com");
    }

    @Test
    void wrongStreamNamespaceDeliversHeaderThenFails() {
        EmbeddedChannel channel = channel(XmlLimits.defaults());

        assertKind(() -> write(channel, "<stream:stream xmlns:stream='urn:wrong' xmlns='jabber:client' to='a'>"),
                Kind.INVALID_NAMESPACE);
        StreamHeader header = channel.readInbound();
        assertThat(header.streamNamespace()).isEqualTo("urn:wrong");
        assertThat(header.to()).isEqualTo("a");
    }

    @Test
    void emitsEachFirstLevelElementWithItsContent() {
        List<Object> out = decode(HEADER
                + "<message to='juliet@example.com' type='chat'><body>Art thou not Romeo?</body></message>"
                + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");

        assertThat(out).hasSize(3);
        Element message = (Element) out.get(1);
        assertThat(message.is("message", CLIENT)).isTrue();
        assertThat(message.attr("to")).isEqualTo("juliet@example.com");
        assertThat(message.attr("type")).isEqualTo("chat");
        assertThat(message.childText("body", CLIENT)).isEqualTo("Art thou not Romeo?");
        assertThat(out.get(2)).isEqualTo(Element.empty("starttls", "urn:ietf:params:xml:ns:xmpp-tls"));
    }

    @Test
    void resolvesNamespacesOfPrefixedAndNestedElements() {
        List<Object> out = decode(HEADER + "<message><x:foo xmlns:x='urn:a'><x:bar/><baz/></x:foo>"
                + "<q xmlns='urn:q'><r><s xmlns=''/></r></q><t/></message>");

        Element message = (Element) out.get(1);
        Element foo = message.element("foo", "urn:a");
        assertThat(foo).isNotNull();
        assertThat(foo.element("bar", "urn:a")).isNotNull();
        assertThat(foo.element("baz", CLIENT)).isNotNull();
        Element q = message.element("q", "urn:q");
        assertThat(q.element("r", "urn:q").element("s", "")).isNotNull();
        assertThat(message.element("t", CLIENT)).isNotNull();
        assertThat(foo.attributeCount()).isZero();
    }

    @Test
    void keepsXmlLangAndPrefixedAttributesWithTheirDeclaration() {
        List<Object> out = decode(HEADER
                + "<iq xmlns:p='urn:p' p:attr='v' xml:lang='de' id='1'><query xmlns='urn:x' p:other='w'/></iq>");

        Element iq = (Element) out.get(1);
        assertThat(iq.attr("xml:lang")).isEqualTo("de");
        assertThat(iq.attr("p:attr")).isEqualTo("v");
        assertThat(iq.attr("xmlns:p")).isEqualTo("urn:p");
        assertThat(iq.attr("id")).isEqualTo("1");
        Element query = iq.element("query", "urn:x");
        assertThat(query.attr("p:other")).isEqualTo("w");
        assertThat(query.attr("xmlns:p")).isEqualTo("urn:p");
    }

    @Test
    void preservesTextExactlyAndMergesRuns() {
        List<Object> out = decode(HEADER + "<message><body>  a \n\tb &amp; &lt;c&gt; &#65;<![CDATA[<d>]]>  </body>"
                + "<x>one<y/>two</x></message>");

        Element message = (Element) out.get(1);
        assertThat(message.childText("body", CLIENT)).isEqualTo("  a \n\tb & <c> A<d>  ");
        assertThat(message.element("body", CLIENT).children()).hasSize(1);
        assertThat(message.element("x", CLIENT).children()).containsExactly(
                new Text("one"), Element.empty("y", CLIENT), new Text("two"));
    }

    @Test
    void ignoresWhitespaceKeepalivesBetweenStanzas() {
        List<Object> out = decode(HEADER + " \n", "<presence/>", "\n\n ", " ", "<presence/> \t");

        assertThat(out).containsExactly(out.get(0), Element.empty("presence", CLIENT),
                Element.empty("presence", CLIENT));
    }

    @Test
    void emitsStreamEndAndIgnoresWhatFollows() {
        List<Object> out = decode(HEADER + "<presence/></stream:stream>", "<garbage");

        assertThat(out).hasSize(3);
        assertThat(out.get(2)).isEqualTo(new StreamEnd());
    }

    @Test
    void sameResultWhateverTheSplitPoint() {
        String xml = HEADER + " <message to='romeo@example.net' xml:lang='fr'><body>caf\u00e9 \ud83d\ude00 \u20ac</body>"
                + "<x:y xmlns:x='urn:x' x:z='1'>t&amp;u</x:y></message>\n<iq type='get' id='p'><ping xmlns='urn:xmpp:ping'/></iq>"
                + "</stream:stream>";
        byte[] bytes = xml.getBytes(UTF_8);
        List<Object> expected = decode(xml);
        assertThat(expected).hasSize(4);
        assertThat(((Element) expected.get(1)).childText("body", CLIENT)).isEqualTo("caf\u00e9 \ud83d\ude00 \u20ac");

        for (int split = 1; split < bytes.length; split++) {
            EmbeddedChannel channel = channel(XmlLimits.defaults());
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, 0, split)));
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, split, bytes.length)));
            assertThat(drain(channel)).as("split at byte %d", split).isEqualTo(expected);
        }
        EmbeddedChannel oneByOne = channel(XmlLimits.defaults());
        for (byte b : bytes) {
            oneByOne.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertThat(drain(oneByOne)).isEqualTo(expected);
    }

    @Test
    void decodesFromPooledDirectBuffersThatDoNotStartAtPositionZero() {
        String xml = HEADER + "<message><body>\u00e9\u00e9</body></message><presence/>";
        byte[] bytes = xml.getBytes(UTF_8);
        int split = xml.indexOf("</body>") - 1;
        EmbeddedChannel channel = channel(XmlLimits.defaults());

        for (byte[] part : List.of(Arrays.copyOfRange(bytes, 0, split), Arrays.copyOfRange(bytes, split, bytes.length))) {
            ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(1024);
            buf.writeBytes(new byte[37]).skipBytes(37);
            buf.writeBytes(part);
            channel.writeInbound(buf);
        }

        assertThat(drain(channel)).isEqualTo(decode(xml));
    }

    @Test
    void splitsInsideAMultiByteCharacter() {
        byte[] euro = "\u20ac".getBytes(UTF_8);
        assertThat(euro).hasSize(3);
        EmbeddedChannel channel = channel(XmlLimits.defaults());
        write(channel, HEADER + "<message><body>");
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {euro[0]}));
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {euro[1]}));
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {euro[2]}));
        write(channel, "</body></message>");

        List<Object> out = drain(channel);
        assertThat(((Element) out.get(1)).childText("body", CLIENT)).isEqualTo("\u20ac");
    }

    @Test
    void roundTripsThroughSerialisation() {
        String stanza = "<message to='a@b/c' type='chat' xml:lang='en' xmlns:p='urn:p' p:q='&quot;x&apos;'>"
                + "<body>1 &lt; 2 &amp;&amp; \u00e9\n</body><html xmlns='http://jabber.org/protocol/xhtml-im'>"
                + "<body xmlns='http://www.w3.org/1999/xhtml'><p>hi <b>there</b></p></body></html>"
                + "<z:e xmlns:z='urn:z'><z:f a='1'/><g/></z:e><empty xmlns=''/></message>";
        Element parsed = (Element) decode(HEADER + stanza).get(1);

        Element reparsed = (Element) decode(HEADER + parsed.toXml(CLIENT)).get(1);
        Element reparsedAlone = (Element) decode(HEADER + parsed.toXml()).get(1);

        assertThat(reparsed).isEqualTo(parsed);
        assertThat(reparsedAlone).isEqualTo(parsed);
        assertThat(parsed.toXml(CLIENT)).startsWith("<message to=");
    }

    @Test
    void malformedXmlIsNotWellFormed() {
        assertKind(() -> decode(HEADER + "<message></iq><presence/>"), Kind.NOT_WELL_FORMED);
        assertKind(() -> decode(HEADER + "<message a='1' a='2'/>"), Kind.NOT_WELL_FORMED);
        assertKind(() -> decode(HEADER + "<message><body>a < b</body></message>"), Kind.NOT_WELL_FORMED);
        assertKind(() -> decode("hello"), Kind.NOT_WELL_FORMED);
    }

    @Test
    void aPrefixedNameWhoseLocalPartIsNoNcNameIsNotWellFormed() {
        // Found by the fuzzer: Aalto takes 'x:1a' as a Name, but its local part '1a' is no NCName.
        assertKind(() -> decode(HEADER + "<x:1a xmlns:x='urn:x'/>"), Kind.NOT_WELL_FORMED);
        assertKind(() -> decode(HEADER + "<message xmlns:y='urn:y' y:-b='1'/>"), Kind.NOT_WELL_FORMED);
        assertKind(() -> decode(HEADER + "<message><x:.c xmlns:x='urn:x'/></message>"), Kind.NOT_WELL_FORMED);
        assertThat(decode(HEADER + "<x:a1 xmlns:x='urn:x' xmlns:y='urn:y' y:_b='1'/>")).hasSize(2);
    }

    @Test
    void discardsInputAfterAnError() {
        EmbeddedChannel channel = channel(XmlLimits.defaults());
        write(channel, HEADER);
        assertKind(() -> write(channel, "<message></iq>x"), Kind.NOT_WELL_FORMED);
        drain(channel);

        write(channel, "<presence/>");

        assertThat(drain(channel)).isEmpty();
    }

    @Test
    void doctypeIsRestricted() {
        assertKind(() -> decode("<?xml version='1.0'?><!DOCTYPE stream:stream>"), Kind.RESTRICTED_XML);
        assertKind(() -> decode("<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]>" + HEADER.substring(21)),
                Kind.RESTRICTED_XML);
        assertKind(() -> decode(HEADER + "<!DOCTYPE x>"), Kind.RESTRICTED_XML);
    }

    @Test
    void doctypeWithInternalSubsetIsRestrictedWhenSentByteByByte() {
        EmbeddedChannel channel = channel(XmlLimits.defaults());
        byte[] bytes = "<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><x/>".getBytes(UTF_8);

        assertKind(() -> {
            for (byte b : bytes) {
                channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
            }
        }, Kind.RESTRICTED_XML);
    }

    @Test
    void entityDeclarationsAndReferencesAreRestricted() {
        assertKind(() -> decode("<!ENTITY a 'b'>"), Kind.RESTRICTED_XML);
        assertKind(() -> decode(HEADER + "<message><!ENTITY a 'b'></message>"), Kind.RESTRICTED_XML);
        assertKind(() -> decode(HEADER + "<message><!", "ENTITY a 'b'></message>"), Kind.RESTRICTED_XML);
        assertKind(() -> decode(HEADER + "<message><body>&xxe;</body></message>"), Kind.RESTRICTED_XML);
    }

    @Test
    void commentsAndProcessingInstructionsAreRestricted() {
        assertKind(() -> decode(HEADER + "<message><!-- hi --></message>"), Kind.RESTRICTED_XML);
        assertKind(() -> decode(HEADER + "<!-- between stanzas -->"), Kind.RESTRICTED_XML);
        assertKind(() -> decode("<?xml version='1.0'?><!-- prolog -->" + HEADER.substring(21)), Kind.RESTRICTED_XML);
        assertKind(() -> decode(HEADER + "<message><?php echo 1 ?></message>"), Kind.RESTRICTED_XML);
        assertKind(() -> decode(HEADER + "<?pi?>"), Kind.RESTRICTED_XML);
    }

    @Test
    void stanzaSizeLimitIsExact() {
        String stanza = "<message><body>" + "x".repeat(300) + "</body></message>";
        int size = stanza.getBytes(UTF_8).length;

        List<Object> out = decode(new XmlLimits(size, 32), HEADER + "  " + stanza + "  " + stanza);
        assertThat(out).hasSize(3);

        assertKind(() -> decode(new XmlLimits(size - 1, 32), HEADER + stanza), Kind.POLICY_VIOLATION);
    }

    @Test
    void unterminatedOversizeStanzaIsRejectedWhileArriving() {
        EmbeddedChannel channel = channel(new XmlLimits(4096, 32));
        write(channel, HEADER + "<message><body>");
        String chunk = "y".repeat(1000);
        for (int i = 0; i < 4; i++) {
            write(channel, chunk);
        }

        assertKind(() -> write(channel, chunk), Kind.POLICY_VIOLATION);
    }

    @Test
    void unterminatedStartTagAndHeaderAreBounded() {
        XmlLimits limits = new XmlLimits(2048, 32);
        String attrs = " a='1'".repeat(500);
        assertKind(() -> decode(limits, HEADER + "<message" + attrs), Kind.POLICY_VIOLATION);
        assertKind(() -> decode(limits, "<stream:stream" + attrs), Kind.POLICY_VIOLATION);
    }

    @Test
    void nestingDeeperThanTheLimitIsAPolicyViolation() {
        XmlLimits limits = new XmlLimits(262_144, 3);
        assertThat(decode(limits, HEADER + "<a><b><c/></b></a>")).hasSize(2);
        assertKind(() -> decode(limits, HEADER + "<a><b><c><d/></c></b></a>"), Kind.POLICY_VIOLATION);
    }

    @Test
    void resetStartsANewDocument() {
        XmlStreamDecoder decoder = new XmlStreamDecoder(XmlLimits.defaults());
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        write(channel, HEADER + "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
        assertThat(drain(channel)).hasSize(2);

        decoder.reset();
        write(channel, HEADER.replace("example.com", "restarted.example"));

        List<Object> out = drain(channel);
        assertThat(out).hasSize(1);
        assertThat(((StreamHeader) out.get(0)).to()).isEqualTo("restarted.example");
    }

    @Test
    void resetFromAHandlerKeepsTheBytesThatFollowInTheSameBuffer() {
        XmlStreamDecoder decoder = new XmlStreamDecoder(XmlLimits.defaults());
        List<Object> seen = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(decoder, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                seen.add(msg);
                if (msg instanceof Element e && e.name().equals("auth")) {
                    decoder.reset(); // as on SASL success
                }
            }
        });

        write(channel, HEADER + "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>" + HEADER + "<iq id='bind'/>");

        assertThat(seen).hasSize(4);
        assertThat(seen.get(2)).isInstanceOf(StreamHeader.class);
        assertThat(seen.get(3)).isEqualTo(Element.builder("iq", CLIENT).attr("id", "bind").build());
    }

    @Test
    void anIdleConnectionLendsItsParserBuffersBackAndParsesOnWhenBytesCome() {
        XmlStreamDecoder decoder = new XmlStreamDecoder(XmlLimits.defaults());
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        write(channel, HEADER + "<message id='1'><body>one</body></message>");
        assertThat(drain(channel)).hasSize(2);
        assertThat(decoder.parserBuffersLent()).as("between stanzas after the read").isTrue();

        write(channel, "<message id='2'><body>tw");
        assertThat(drain(channel)).isEmpty();
        assertThat(decoder.parserBuffersLent()).as("in the middle of a stanza").isFalse();
        write(channel, "o</body></message>");
        assertThat(drain(channel)).containsExactly(Element.builder("message", CLIENT).attr("id", "2")
                .child(Element.builder("body", CLIENT).text("two").build()).build());
        assertThat(decoder.parserBuffersLent()).isTrue();

        write(channel, " ");
        assertThat(decoder.parserBuffersLent()).as("after a whitespace keepalive").isTrue();
        write(channel, "<presence><status>" + "x".repeat(5000) + "</status></presence>");
        Element presence = (Element) drain(channel).get(0);
        assertThat(presence.childText("status", CLIENT)).hasSize(5000);
    }

    @Test
    void withoutResetASecondDeclarationIsAnError() {
        // Aalto rejects a misplaced XML declaration as malformed, not as a processing instruction.
        assertKind(() -> decode(HEADER + "<presence/>" + HEADER), Kind.NOT_WELL_FORMED);
    }

    private static java.util.Map.Entry<String, String> entry(String k, String v) {
        return java.util.Map.entry(k, v);
    }

    private static EmbeddedChannel channel(XmlLimits limits) {
        return new EmbeddedChannel(new XmlStreamDecoder(limits));
    }

    private static List<Object> decode(String... parts) {
        return decode(XmlLimits.defaults(), parts);
    }

    private static List<Object> decode(XmlLimits limits, String... parts) {
        EmbeddedChannel channel = channel(limits);
        for (String part : parts) {
            write(channel, part);
        }
        return drain(channel);
    }

    private static void write(EmbeddedChannel channel, String s) {
        channel.writeInbound(Unpooled.copiedBuffer(s, UTF_8));
    }

    private static List<Object> drain(EmbeddedChannel channel) {
        List<Object> out = new ArrayList<>();
        for (Object o; (o = channel.readInbound()) != null; ) {
            out.add(o);
        }
        return out;
    }

    private static void assertKind(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Kind kind) {
        assertThatThrownBy(call).isInstanceOf(XmlStreamException.class)
                .extracting(e -> ((XmlStreamException) e).kind()).isEqualTo(kind);
    }
}
