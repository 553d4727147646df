package org.parley.xml;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.fasterxml.aalto.AsyncXMLInputFactory;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Bytes in, as a client sends them: the decoder yields the stream's items or an
 * {@link XmlStreamException}, never another exception. Three more properties are checked on every
 * input: the outcome does not depend on how the bytes are split between reads, every string it
 * hands on is XML 1.0 characters only, and an element written out and read again is the same
 * element.
 */
class XmlStreamDecoderFuzzTest {
    private static final XmlLimits LIMITS = new XmlLimits(16 * 1024, 16);
    private static final AsyncXMLInputFactory FACTORY = XmlStreamDecoder.secureFactory();

    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"<?xml version='1.0'?>", "<stream:stream", "xmlns='jabber:client'",
            "xmlns:stream='http://etherx.jabber.org/streams'", "</stream:stream>", "<message", "</message>", "<body>",
            "</body>", "xml:lang='en'", "<![CDATA[", "]]>", "<!--", "-->", "<?", "?>", "<!DOCTYPE", "<!ENTITY", "&amp;",
            "&lt;", "&#x", "&#", "xmlns:", "='", "'/>", "\u00e9", "\ud83d\ude00", "\u0000", "\uffff"})
    void decode(byte[] input) {
        Outcome whole = decode(List.of(input));
        int step = input.length == 0 ? 1 : 1 + (input[0] & 0x7) * (input[input.length - 1] & 0x3);
        List<byte[]> reads = new ArrayList<>();
        for (int i = 0; i < input.length; i += step) {
            reads.add(Arrays.copyOfRange(input, i, Math.min(input.length, i + step)));
        }
        Outcome split = decode(reads);
        if (!contains(input, CDATA_END)) {
            // Known, left alone: Aalto 1.3.3 misses ']]>' in character data (XML 1.0 §2.4) when a
            // read ends before it within the same text; it is then kept as text (written back
            // as ']]&gt;'), not refused. Inputs holding ']]>' skip this one comparison.
            if (whole.failure != null && (split.failure == null || contains(input, DOCTYPE))) {
                // Read whole, Aalto refuses an unfinished DOCTYPE (one with a non-ASCII name, say)
                // that, split, it still waits on, so a later problem may be the one reported: fine,
                // as long as the split reading handed on nothing more.
                assertThat(split.items).as("split into reads of %d bytes", step).isEqualTo(whole.items);
            } else {
                assertThat(split).as("split into reads of %d bytes", step).isEqualTo(whole);
            }
        }
        for (Object item : whole.items) {
            if (item instanceof Element e) {
                assertCharsOnly(e);
                List<Object> again = decode(List.of(("<stream:stream xmlns='jabber:client'"
                        + " xmlns:stream='http://etherx.jabber.org/streams'>" + e.toXml("jabber:client"))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8))).items;
                assertThat(again).as("written and read again").hasSize(2).element(1).isEqualTo(e);
            } else if (item instanceof StreamHeader h) {
                for (Map.Entry<String, String> a : h.attributes().entrySet()) {
                    assertThat(XmlChars.allChars(a.getKey()) && XmlChars.allChars(a.getValue())).isTrue();
                }
            }
        }
    }

    private static final byte[] CDATA_END = {']', ']', '>'};
    private static final byte[] DOCTYPE = "<!DOCTYPE".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static boolean contains(byte[] input, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= input.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (input[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private record Outcome(List<Object> items, XmlStreamException.Kind failure) {
    }

    private static Outcome decode(List<byte[]> reads) {
        EmbeddedChannel channel = new EmbeddedChannel(new XmlStreamDecoder(LIMITS, FACTORY));
        XmlStreamException.Kind failure = null;
        try {
            for (byte[] read : reads) {
                channel.writeInbound(Unpooled.wrappedBuffer(read));
            }
        } catch (XmlStreamException e) {
            failure = e.kind();
            assertThat(XmlChars.allChars(e.getMessage())).as("error text %s", e.getMessage()).isTrue();
        }
        List<Object> items = new ArrayList<>();
        for (Object o; (o = channel.readInbound()) != null; ) {
            items.add(o);
        }
        channel.finishAndReleaseAll();
        return new Outcome(items, failure);
    }

    private static void assertCharsOnly(Element e) {
        assertThat(XmlChars.allChars(e.name()) && XmlChars.allChars(e.namespace())).isTrue();
        for (int i = 0; i < e.attributeCount(); i++) {
            assertThat(XmlChars.allChars(e.attributeName(i)) && XmlChars.allChars(e.attributeValue(i)))
                    .as("attribute of %s", e.name()).isTrue();
        }
        for (Node n : e.children()) {
            if (n instanceof Element c) {
                assertCharsOnly(c);
            } else if (n instanceof Text t) {
                assertThat(XmlChars.allChars(t.value())).as("text in %s", e.name()).isTrue();
            }
        }
    }
}
