package org.parley.testing;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.parley.xml.Element;
import org.parley.xml.XmlLimits;
import org.parley.xml.XmlStreamDecoder;
import org.parley.xml.XmlStreamException;

/**
 * Turns a fuzzer's bytes into what a parser of client input gets: the elements a client could
 * make the server's decoder produce, inside a {@code jabber:client} stream. The inputs stay plain
 * XML text, so a seed corpus is readable and its files can be written by hand.
 */
public final class FuzzXml {
    private static final byte[] HEADER = ("<stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>")
            .getBytes(StandardCharsets.UTF_8);

    private FuzzXml() {
    }

    /** The first-level elements {@code xml} holds, as the decoder builds them; none if it is not well-formed. */
    public static List<Element> elements(byte[] xml) {
        EmbeddedChannel channel = new EmbeddedChannel(new XmlStreamDecoder(new XmlLimits(1 << 20, 32)));
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
