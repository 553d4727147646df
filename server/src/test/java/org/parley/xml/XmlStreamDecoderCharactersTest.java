package org.parley.xml;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.parley.xml.XmlStreamException.Kind;

/**
 * What the decoder lets through, character by character: ill-formed UTF-8 (RFC 3629) and
 * characters outside XML 1.0's {@code Char} production (§2.2) end the stream with
 * not-well-formed wherever they stand, however the bytes are split between reads, and the
 * stanzas before them are still delivered.
 */
class XmlStreamDecoderCharactersTest {
    private static final String HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' to='example.com' version='1.0'>";
    private static final String CLIENT = "jabber:client";

    static Stream<Arguments> illFormedUtf8() {
        return Stream.of(
                bytes("overlong '/' (C0 AF)", 0xC0, 0xAF),
                bytes("overlong 'A' (C1 81)", 0xC1, 0x81),
                bytes("overlong three bytes (E0 80 AF)", 0xE0, 0x80, 0xAF),
                bytes("overlong four bytes (F0 80 80 AF)", 0xF0, 0x80, 0x80, 0xAF),
                bytes("surrogate U+D800 (ED A0 80)", 0xED, 0xA0, 0x80),
                bytes("surrogate pair as two sequences", 0xED, 0xA0, 0xBD, 0xED, 0xB8, 0x80),
                bytes("above U+10FFFF (F4 90 80 80)", 0xF4, 0x90, 0x80, 0x80),
                bytes("lead byte F5", 0xF5, 0x80, 0x80, 0x80),
                bytes("byte FF", 0xFF),
                bytes("continuation byte alone", 0x80),
                bytes("truncated three bytes", 0xE2, 0x82),
                bytes("truncated four bytes", 0xF0, 0x9F, 0x98));
    }

    static Stream<Arguments> notXmlChars() {
        return Stream.of(
                bytes("NUL", 0x00),
                bytes("control character U+0001", 0x01),
                bytes("control character U+001F", 0x1F),
                bytes("non-character U+FFFE", 0xEF, 0xBF, 0xBE),
                bytes("non-character U+FFFF", 0xEF, 0xBF, 0xBF),
                text("&#0;"), text("&#x1;"), text("&#x1F;"),
                text("lone high surrogate &#xD800;"), text("lone low surrogate &#xDFFF;"),
                text("&#xFFFE;"), text("&#xFFFF;"), text("&#x110000;"), text("&#55296;"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"illFormedUtf8", "notXmlChars"})
    void inTextIsNotWellFormed(String what, byte[] bad) {
        assertNotWellFormedAfterOneStanza(join(HEADER, "<presence/><message><body>x", bad, "y</body></message>"));
        assertNotWellFormedAfterOneStanza(join(HEADER, "<presence/><message><body>", bad, "</body></message>"));
        // Past the parser's first look at the text, which Aalto scans lazily.
        assertNotWellFormedAfterOneStanza(join(HEADER, "<presence/><message><body>" + "z".repeat(3000), bad,
                "</body></message>"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"illFormedUtf8", "notXmlChars"})
    void inAttributeValueIsNotWellFormed(String what, byte[] bad) {
        assertNotWellFormedAfterOneStanza(join(HEADER, "<presence/><message to='a", bad, "b@example.com'/>"));
        assertNotWellFormedAfterOneStanza(join(HEADER, "<presence/><message><x y='", bad, "'/></message>"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource({"illFormedUtf8", "notXmlChars"})
    void inTheStreamHeaderOrBetweenStanzasIsNotWellFormed(String what, byte[] bad) {
        assertNotWellFormed(join("<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
                + " xmlns:stream='http://etherx.jabber.org/streams' to='exa", bad, "mple.com' version='1.0'>"), 0);
        assertNotWellFormedAfterOneStanza(join(HEADER, "<presence/> ", bad, " <presence/>"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("illFormedUtf8")
    void illFormedUtf8InCdataIsNotWellFormed(String what, byte[] bad) {
        assertNotWellFormedAfterOneStanza(join(HEADER, "<presence/><message><body><![CDATA[", bad,
                "]]></body></message>"));
    }

    @Test
    void everyCharOfXmlIsAcceptedAsItIs() {
        String chars = "\t\n\u0020\u007f\u0085\u00e9\ud7ff\ue000\ufffd\ud800\udc00\ud83d\ude00\udbff\udfff";
        String xml = HEADER + "<message a='" + chars.replace("\t", "&#9;").replace("\n", "&#10;") + "'><body>"
                + chars + "&#x10FFFF;&#xE000;&#x85;</body></message>";

        for (List<Object> out : everySplit(xml.getBytes(UTF_8))) {
            Element message = (Element) out.get(1);
            assertThat(message.attr("a")).isEqualTo(chars);
            assertThat(message.childText("body", CLIENT)).isEqualTo(chars + "\udbff\udfff\ue000\u0085");
        }
    }

    /** Namespaces in XML §3: no element is prefixed 'xmlns'; Aalto threw a bare RuntimeException for it. */
    @Test
    void anElementPrefixedXmlnsIsNotWellFormed() {
        assertNotWellFormed(join("<?xml version='1.0'?><xmlns:stream xmlns:stream='urn:x'>"), 0);
        assertNotWellFormedAfterOneStanza(join(HEADER, "<presence/><xmlns:x/>"));
    }

    /** Aalto 1.3.3 decoded U+1F600 as U+F600 in an attribute value when a read ended inside it. */
    @Test
    void aFourByteCharacterSplitBetweenReadsInAnAttributeValueStaysWhole() {
        String xml = HEADER + "<message><x y='q\ud83d\ude00r'/><body>q\ud83d\ude00r</body></message>";

        for (List<Object> out : everySplit(xml.getBytes(UTF_8))) {
            Element message = (Element) out.get(1);
            assertThat(message.element("x", CLIENT).attr("y")).isEqualTo("q\ud83d\ude00r");
            assertThat(message.childText("body", CLIENT)).isEqualTo("q\ud83d\ude00r");
        }
    }

    @Test
    void theErrorTextNeverQuotesTheBadCharacter() {
        for (String bad : List.of("\ufffe", "\uffff", "\u0001")) {
            XmlStreamException e = decodeFailure(join(HEADER, "<message><body>x" + bad + "</body></message>"));
            assertThat(e.kind()).isEqualTo(Kind.NOT_WELL_FORMED);
            assertThat(XmlChars.allChars(e.getMessage())).as(e.getMessage()).isTrue();
        }
    }

    /**
     * Fails unless the bytes end the stream whole, byte by byte, and split into two reads anywhere
     * near the first byte that is not ASCII or not printable.
     */
    private static void assertNotWellFormedAfterOneStanza(byte[] bytes) {
        assertNotWellFormed(bytes, 1);
    }

    private static void assertNotWellFormed(byte[] bytes, int elementsBefore) {
        int bad = 0;
        while (bad < bytes.length && bytes[bad] >= 0x20 && bytes[bad] != '&') {
            bad++;
        }
        for (int split = Math.max(0, bad - 6); split <= Math.min(bytes.length, bad + 12); split++) {
            check(bytes, List.of(Arrays.copyOfRange(bytes, 0, split), Arrays.copyOfRange(bytes, split, bytes.length)),
                    elementsBefore, "split at " + split);
        }
        List<byte[]> single = new ArrayList<>();
        for (byte b : bytes) {
            single.add(new byte[] {b});
        }
        check(bytes, single, elementsBefore, "byte by byte");
    }

    private static void check(byte[] bytes, List<byte[]> reads, int elementsBefore, String how) {
        EmbeddedChannel channel = new EmbeddedChannel(new XmlStreamDecoder(XmlLimits.defaults()));
        try {
            for (byte[] read : reads) {
                channel.writeInbound(Unpooled.wrappedBuffer(read));
            }
            fail("accepted (%s): %s", how, new String(bytes, UTF_8));
        } catch (XmlStreamException e) {
            assertThat(e.kind()).as(how).isEqualTo(Kind.NOT_WELL_FORMED);
        }
        long elements = drain(channel).stream().filter(o -> o instanceof Element).count();
        assertThat(elements).as("stanzas delivered before the error (%s)", how).isEqualTo(elementsBefore);
    }

    private static XmlStreamException decodeFailure(byte[] bytes) {
        EmbeddedChannel channel = new EmbeddedChannel(new XmlStreamDecoder(XmlLimits.defaults()));
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(bytes));
        } catch (XmlStreamException e) {
            return e;
        }
        throw new AssertionError("accepted: " + new String(bytes, UTF_8));
    }

    private static List<List<Object>> everySplit(byte[] bytes) {
        List<List<Object>> results = new ArrayList<>();
        for (int split = 0; split <= bytes.length; split++) {
            EmbeddedChannel channel = new EmbeddedChannel(new XmlStreamDecoder(XmlLimits.defaults()));
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, 0, split)));
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(bytes, split, bytes.length)));
            results.add(drain(channel));
        }
        return results;
    }

    private static List<Object> drain(EmbeddedChannel channel) {
        List<Object> out = new ArrayList<>();
        for (Object o; (o = channel.readInbound()) != null; ) {
            out.add(o);
        }
        return out;
    }

    private static Arguments bytes(String what, int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return Arguments.of(what, b);
    }

    private static Arguments text(String reference) {
        String ref = reference.substring(reference.indexOf('&'));
        return Arguments.of(reference, ref.getBytes(UTF_8));
    }

    private static byte[] join(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            out.writeBytes(p instanceof byte[] b ? b : p.toString().getBytes(UTF_8));
        }
        return out.toByteArray();
    }
}
