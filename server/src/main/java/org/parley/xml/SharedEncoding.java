package org.parley.xml;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One stanza sent to many recipients, serialised once: the fan-out of a group chat message or
 * presence to every occupant. The copies differ only in their {@code to}, so the encoding is kept
 * as two byte arrays, the start tag up to where {@code to} goes and everything after it, and an
 * encoder writes {@code prefix + " to=\"…\"" + suffix} for each copy: a memory copy and the
 * recipient's address, instead of walking and escaping the whole tree once per recipient (BOSH,
 * which renders its bodies as text, appends the same two parts as strings).
 *
 * <p>{@link #to} makes the copy for one recipient: an ordinary immutable {@link Element} (hooks,
 * stream management and the archive see nothing new) tagged with this encoding. Any change to
 * the copy (a hook adding a child) gives an untagged element, serialised as usual, so the shared
 * bytes are only ever written for exactly the element they encode. The bytes are made the first
 * time an encoder asks, once per default namespace of the stream (a TCP stream's
 * {@code jabber:client}, a WebSocket message's none), and shared by every thread from then on.
 */
public final class SharedEncoding {
    private final Element template;
    /** The encodings made so far, each for one parent namespace; at most {@link #MAX_FORMS}. */
    private volatile Form[] forms = new Form[0];
    private final AtomicInteger renders = new AtomicInteger();
    private static final int MAX_FORMS = 4;

    /** One namespace's encoding, as bytes for the socket encoders and as text for BOSH's bodies. */
    private record Form(String parentNamespace, byte[] prefix, byte[] suffix, String prefixText, String suffixText) {
    }

    /** @param template the stanza without {@code to} (a 'to' it has is dropped) */
    public SharedEncoding(Element template) {
        this.template = template.withAttr("to", null);
    }

    /** The stanza every copy is, without {@code to}. */
    public Element template() {
        return template;
    }

    /** The copy for one recipient: the template with {@code to} set, tagged with this encoding. */
    public Element to(String to) {
        return template.addressed(to, this);
    }

    /**
     * Writes {@code copy}, one of this encoding's copies, as a child of an element whose default
     * namespace is {@code parentNamespace}.
     */
    public void writeTo(Element copy, String parentNamespace, ByteBuf out, StringBuilder scratch) {
        Form form = form(parentNamespace);
        out.writeBytes(form.prefix());
        scratch.setLength(0);
        scratch.append(" to=\"");
        Escaping.escapeAttribute(copy.attr("to"), scratch);
        scratch.append('"');
        out.writeCharSequence(scratch, StandardCharsets.UTF_8);
        out.writeBytes(form.suffix());
    }

    /**
     * Appends {@code copy}, one of this encoding's copies, as text (BOSH renders a response body as
     * text), as a child of an element whose default namespace is {@code parentNamespace}.
     */
    public void appendTo(Element copy, String parentNamespace, StringBuilder out) {
        Form form = form(parentNamespace);
        out.append(form.prefixText()).append(" to=\"");
        Escaping.escapeAttribute(copy.attr("to"), out);
        out.append('"').append(form.suffixText());
    }

    /** The bytes {@link #writeTo} writes at most, beside the recipient's address. */
    public int sizeHint(String parentNamespace) {
        Form form = form(parentNamespace);
        return form.prefix().length + form.suffix().length;
    }

    /** How many times the template was serialised (once per namespace asked for, or twice if two threads raced). */
    int renders() {
        return renders.get();
    }

    private Form form(String parentNamespace) {
        Form[] known = forms;
        for (Form f : known) {
            if (Objects.equals(f.parentNamespace(), parentNamespace)) {
                return f;
            }
        }
        renders.incrementAndGet();
        StringBuilder sb = new StringBuilder(256);
        template.writeHead(sb, parentNamespace);
        String prefix = sb.toString();
        sb.setLength(0);
        template.writeTail(sb);
        String suffix = sb.toString();
        Form made = new Form(parentNamespace, prefix.getBytes(StandardCharsets.UTF_8),
                suffix.getBytes(StandardCharsets.UTF_8), prefix, suffix);
        if (known.length < MAX_FORMS) {
            // A race may lose a form made meanwhile; it is made again when next asked for.
            Form[] more = Arrays.copyOf(known, known.length + 1);
            more[known.length] = made;
            forms = more;
        }
        return made;
    }
}
