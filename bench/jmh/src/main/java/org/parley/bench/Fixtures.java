package org.parley.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.parley.xml.Element;
import org.parley.xml.XmlLimits;
import org.parley.xml.XmlStreamDecoder;

/**
 * The stanzas every benchmark works on, as a client would send them inside a {@code jabber:client}
 * stream (so without {@code xmlns} on the stanza itself). Elements are made by the server's own
 * parser, so they are exactly what the router and encoder see in production.
 */
public final class Fixtures {

    /** Which realistic stanza a parameterised benchmark uses. */
    public enum Kind {
        /** A 1:1 chat message with body, thread and a receipt request (XEP-0184): about 200 bytes. */
        MESSAGE,
        /** An available presence with show, status, priority and entity capabilities (XEP-0115). */
        PRESENCE,
        /** A roster push (RFC 6121 §2.1.6) carrying 20 items, each with a group. */
        ROSTER
    }

    public static final String STREAM_HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' to='capulet.example' version='1.0'>";

    public static final String MESSAGE = "<message from=\"romeo@montague.example/orchard\""
            + " to=\"juliet@capulet.example/balcony\" type=\"chat\" id=\"ktx72v49\">"
            + "<body>Art thou not Romeo, and a Montague?</body><thread>e0ffe42b28561960</thread>"
            + "<request xmlns=\"urn:xmpp:receipts\"/></message>";

    public static final String PRESENCE = "<presence from=\"romeo@montague.example/orchard\">"
            + "<show>away</show><status>In the orchard</status><priority>5</priority>"
            + "<c xmlns=\"http://jabber.org/protocol/caps\" hash=\"sha-1\" node=\"https://conversations.im\""
            + " ver=\"QgayPKawpkPSDYmwT/WM94uAlu0=\"/></presence>";

    public static final String ROSTER = roster(20);

    private Fixtures() {
    }

    public static String xml(Kind kind) {
        return switch (kind) {
            case MESSAGE -> MESSAGE;
            case PRESENCE -> PRESENCE;
            case ROSTER -> ROSTER;
        };
    }

    private static String roster(int items) {
        StringBuilder sb = new StringBuilder("<iq to=\"juliet@capulet.example/balcony\" id=\"a78b4q6ha463\""
                + " type=\"set\"><query xmlns=\"jabber:iq:roster\" ver=\"ver14\">");
        for (int i = 0; i < items; i++) {
            sb.append("<item jid=\"contact").append(i).append("@montague.example\" name=\"Contact ").append(i)
                    .append("\" subscription=\"both\"><group>Friends</group></item>");
        }
        return sb.append("</query></iq>").toString();
    }

    /** The stanza as the server's decoder produces it from the wire. */
    public static Element element(Kind kind) {
        EmbeddedChannel channel = decoderChannel();
        channel.writeInbound(utf8(xml(kind)));
        Element element = channel.readInbound();
        channel.finishAndReleaseAll();
        if (element == null) {
            throw new IllegalStateException("fixture did not parse: " + kind);
        }
        return element;
    }

    /** A channel with a decoder that has already read the stream header (and dropped it). */
    public static EmbeddedChannel decoderChannel() {
        EmbeddedChannel channel = new EmbeddedChannel(new XmlStreamDecoder(XmlLimits.defaults()));
        channel.writeInbound(utf8(STREAM_HEADER));
        if (channel.readInbound() == null) {
            throw new IllegalStateException("stream header did not parse");
        }
        return channel;
    }

    /** A pooled direct buffer, like the ones Netty reads from a socket into. */
    public static ByteBuf utf8(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length);
        return buf.writeBytes(bytes);
    }

    public static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
