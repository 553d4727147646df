package org.parley.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.List;
import org.parley.xml.Element;
import org.parley.xml.Escaping;
import org.parley.xml.Node;
import org.parley.xml.SharedEncoding;
import org.parley.xmpp.Namespaces;

/**
 * Writes each outbound {@link Element} as one WebSocket text message (RFC 7395 §3.3.3), a whole
 * XML element that declares its own namespace: a stanza carries {@code xmlns="jabber:client"}
 * (§3.4: no stream root is in scope), and a stream-level element (features, errors) is written
 * as {@code <stream:features xmlns:stream="…">}, the form clients match. Frames pass through.
 *
 * <p>Not sharable: it reuses one serialisation buffer per connection.
 */
final class WebSocketEncoder extends MessageToMessageEncoder<Element> {
    private static final int MAX_RETAINED_SCRATCH = 64 * 1024;

    private StringBuilder scratch = new StringBuilder(512);

    WebSocketEncoder() {
        super(Element.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Element element, List<Object> out) {
        SharedEncoding shared = element.sharedEncoding();
        if (shared != null && !Namespaces.STREAMS.equals(element.namespace())) {
            // A fan-out copy: the shared bytes, as render would write them (no namespace in scope).
            ByteBuf bytes = ctx.alloc().buffer(shared.sizeHint("") + 64);
            shared.writeTo(element, "", bytes, scratch);
            scratch.setLength(0);
            out.add(new TextWebSocketFrame(bytes));
            return;
        }
        render(element, scratch);
        ByteBuf bytes = ctx.alloc().buffer(ByteBufUtil.utf8MaxBytes(scratch));
        ByteBufUtil.writeUtf8(bytes, scratch);
        out.add(new TextWebSocketFrame(bytes));
        if (scratch.capacity() > MAX_RETAINED_SCRATCH) {
            scratch = new StringBuilder(512);
        } else {
            scratch.setLength(0);
        }
    }

    /** The text of one message. */
    static void render(Element e, StringBuilder sb) {
        if (!Namespaces.STREAMS.equals(e.namespace())) {
            SharedEncoding shared = e.sharedEncoding();
            if (shared != null) {
                shared.appendTo(e, "", sb); // a fan-out copy in a BOSH body: the shared text
            } else {
                e.writeTo(sb, "");
            }
            return;
        }
        sb.append("<stream:").append(e.name()).append(" xmlns:stream=\"").append(Namespaces.STREAMS).append('"');
        for (int i = 0; i < e.attributeCount(); i++) {
            sb.append(' ').append(e.attributeName(i)).append("=\"");
            Escaping.escapeAttribute(e.attributeValue(i), sb);
            sb.append('"');
        }
        if (e.children().isEmpty()) {
            sb.append("/>");
            return;
        }
        sb.append('>');
        for (Node child : e.children()) {
            child.writeTo(sb, ""); // no default namespace is in scope: every child declares its own
        }
        sb.append("</stream:").append(e.name()).append('>');
    }
}
