package org.parley.xml;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes outbound XML as UTF-8: an {@link Element} as a child of the stream root (so stanzas in
 * the stream's default namespace carry no {@code xmlns}), a {@link StreamHeader} or
 * {@link StreamEnd} as their tags, and any {@link CharSequence} verbatim (pre-rendered
 * headers, whitespace keepalives). A copy of a {@link SharedEncoding} (a group chat fan-out) is
 * written from its shared bytes, not serialised again. Other messages, such as ready-made {@code ByteBuf}s, pass
 * through untouched.
 *
 * <p>Not sharable: it reuses one serialisation buffer per connection.
 */
public final class XmlEncoder extends MessageToByteEncoder<Object> {
    public static final String CLIENT_NAMESPACE = "jabber:client";

    private static final int MAX_RETAINED_SCRATCH = 64 * 1024;

    private final String streamNamespace;
    private StringBuilder scratch = new StringBuilder(512);

    /** For client-to-server streams ({@code jabber:client}). */
    public XmlEncoder() {
        this(CLIENT_NAMESPACE);
    }

    /** @param streamNamespace the default namespace of the stream, e.g. {@code jabber:component:accept} */
    public XmlEncoder(String streamNamespace) {
        super(Object.class);
        this.streamNamespace = streamNamespace;
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof Element || msg instanceof CharSequence || msg instanceof StreamHeader
                || msg instanceof StreamEnd;
    }

    /** A copy of a shared encoding gets a buffer of its size at once; anything else the default. */
    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Object msg, boolean preferDirect) throws Exception {
        if (msg instanceof Element e && e.sharedEncoding() != null) {
            return ctx.alloc().ioBuffer(e.sharedEncoding().sizeHint(streamNamespace) + 64);
        }
        return super.allocateBuffer(ctx, msg, preferDirect);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, ByteBuf out) {
        switch (msg) {
            case Element element when element.sharedEncoding() != null -> {
                element.sharedEncoding().writeTo(element, streamNamespace, out, scratch);
                scratch.setLength(0);
            }
            case Element element -> {
                element.writeTo(scratch, streamNamespace);
                ByteBufUtil.writeUtf8(out, scratch);
                if (scratch.capacity() > MAX_RETAINED_SCRATCH) {
                    scratch = new StringBuilder(512);
                } else {
                    scratch.setLength(0);
                }
            }
            case CharSequence text -> ByteBufUtil.writeUtf8(out, text);
            case StreamHeader header -> ByteBufUtil.writeUtf8(out, header.toXml());
            case StreamEnd end -> ByteBufUtil.writeUtf8(out, end.toXml());
            default -> throw new IllegalArgumentException("not XML: " + msg.getClass().getName());
        }
    }
}
