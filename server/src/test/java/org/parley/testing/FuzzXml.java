package org.parley.testing;

import com.fasterxml.aalto.AsyncXMLInputFactory;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.parley.xml.Element;
import org.parley.xml.XmlLimits;
import org.parley.xml.XmlStreamDecoder;
import org.parley.xml.XmlStreamException;
import org.parley.xmpp.StanzaErrorException;

/**
 * Turns a fuzzer's bytes into what a parser of client input gets: the elements a client could
 * make the server's decoder produce, inside a {@code jabber:client} stream. The inputs stay plain
 * XML text, so a seed corpus is readable and its files can be written by hand.
 */
public final class FuzzXml {
    private static final byte[] HEADER = ("<stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>")
            .getBytes(StandardCharsets.UTF_8);

    /** One Aalto factory for every input: building one costs more than parsing a stanza. */
    private static final AsyncXMLInputFactory FACTORY = XmlStreamDecoder.secureFactory();
    private static final XmlLimits LIMITS = new XmlLimits(1 << 20, 32);

    private FuzzXml() {
    }

    /**
     * Hands each first-level element (and each of its children, where parsers of payloads look) to
     * {@code parser}. A {@link StanzaErrorException} is the parser's answer to bad input, as the
     * client would get it; any other exception fails the fuzz test.
     */
    public static void parseEach(byte[] xml, Consumer<Element> parser) {
        for (Element e : elements(xml)) {
            parse(e, parser);
            for (Element child : e.elements()) {
                parse(child, parser);
            }
        }
    }

    private static void parse(Element e, Consumer<Element> parser) {
        try {
            parser.accept(e);
        } catch (StanzaErrorException answered) {
            // an error reply to the client: fine
        }
    }

    /** The first-level elements {@code xml} holds, as the decoder builds them; none if it is not well-formed. */
    public static List<Element> elements(byte[] xml) {
        EmbeddedChannel channel = new EmbeddedChannel(new XmlStreamDecoder(LIMITS, FACTORY));
        List<Element> out = new ArrayList<>();
        try {
            channel.writeInbound(Unpooled.wrappedBuffer(HEADER, xml));
        } catch (XmlStreamException e) {
            // keep what came before the error
        }
        for (Object o; (o = channel.readInbound()) != null; ) {
            if (o instanceof Element e) {
                out.add(e);
            }
        }
        channel.finishAndReleaseAll();
        return out;
    }
}
