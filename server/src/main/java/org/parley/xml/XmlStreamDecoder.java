package org.parley.xml;

import com.fasterxml.aalto.AsyncByteBufferFeeder;
import com.fasterxml.aalto.AsyncXMLInputFactory;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import com.fasterxml.aalto.UncheckedStreamException;
import com.fasterxml.aalto.async.AsyncStreamReaderImpl;
import com.fasterxml.aalto.in.ReaderConfig;
import com.fasterxml.aalto.stax.InputFactoryImpl;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import org.parley.xml.XmlStreamException.Kind;

/**
 * Decodes an XMPP stream (RFC 6120 §4) from bytes into {@link StreamHeader}, one {@link Element}
 * per first-level child of the stream, and {@link StreamEnd}. Problems are thrown as
 * {@link XmlStreamException}; after one, all further input is discarded.
 *
 * <p>Bytes are fed to Aalto's non-blocking parser straight from the inbound buffer (no copy, no
 * String) and parsed exactly once. The decoder never holds on to a buffer between reads: it
 * returns only when the parser has consumed everything it was fed, or right after emitting a
 * message, with the buffer's reader index placed exactly at the end of that message's bytes.
 * That exactness is what makes {@link #reset()} safe mid-buffer: when a handler restarts the
 * stream while processing an element (SASL success), the bytes after it are fed to the new
 * parser rather than lost in the old one.
 *
 * <p>Limits are checked while bytes arrive, so an endless stanza, start tag or header is
 * rejected once it passes {@link XmlLimits#maxStanzaBytes()} without being buffered whole. The
 * parser holds at most one feed of {@value #MAX_FEED_BYTES} bytes beyond the limit.
 *
 * <p>At the end of a read that leaves the stream between first-level elements, the parser lends its
 * text and name buffers back ({@link IdleScanner}): an idle connection holds none.
 *
 * <p>Not sharable: one instance per connection, used from its event loop.
 */
public final class XmlStreamDecoder extends ByteToMessageDecoder {
    private static final int MAX_FEED_BYTES = 16 * 1024;

    private enum State { PROLOG, STREAM, ENDED, FAILED }

    private final XmlLimits limits;
    private final AsyncXMLInputFactory factory;
    private final ElementAssembler assembler = new ElementAssembler();

    private AsyncXMLStreamReader<AsyncByteBufferFeeder> reader;
    /** The reader's scanner, when the factory is Aalto's own (it always is outside tests of odd factories). */
    private IdleScanner scanner;
    private State state;
    // Offsets in the current parser's byte stream: the position of the inbound buffer's reader
    // index, the end of what was fed, the start of the latest feed, where the open first-level
    // element started and where the last top-level event ended.
    private long consumed;
    private long fed;
    private long feedStart;
    private long stanzaStart;
    private long lastBoundary;
    // The up to eight bytes fed before the latest feed (the last one lowest) and the eight fed
    // last, so markup declarations split across reads are still recognised.
    private long before;
    private int beforeCount;
    private long recent;
    private int recentCount;
    // Offsets of the first markup declaration keyword seen in the prolog, and of the header's end.
    private long declarationAt;
    private long headerEnd;
    /** The size on the wire of the last first-level element handed on. */
    private int lastElementBytes;
    /** Hand on no more elements until {@link #release}: what arrives meanwhile waits as bytes. */
    private boolean held;

    public XmlStreamDecoder(XmlLimits limits) {
        this(limits, secureFactory());
    }

    /**
     * With a shared factory (from {@link #secureFactory()}): Aalto readers of one factory share
     * its symbol table, so element and attribute names are decoded once per server.
     */
    public XmlStreamDecoder(XmlLimits limits, AsyncXMLInputFactory factory) {
        this.limits = limits;
        this.factory = factory;
        newParser();
    }

    /**
     * An Aalto factory with DTDs, external entities and entity replacement turned off, whose
     * symbol table already knows the names clients commonly send ({@link CommonNames}).
     */
    public static AsyncXMLInputFactory secureFactory() {
        AsyncXMLInputFactory factory = new InputFactoryImpl();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        // Undeclared entity references then surface as events, reported as restricted XML.
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        CommonNames.teach(factory);
        return factory;
    }

    /**
     * Restarts the stream (RFC 6120 §5.4.3.3 after STARTTLS, §6.4.6 after SASL success): the
     * next bytes must begin a new document with its own XML declaration and stream header.
     * The decoder stays in the pipeline. Call it on the channel's event loop, typically from
     * the handler processing the element that triggers the restart; bytes already received
     * after that element are parsed as the new stream.
     */
    public void reset() {
        closeParser();
        newParser();
    }

    /**
     * Whether everything fed so far forms whole first-level elements: the stream is open, no element
     * is open and no byte waits after the last one. A transport that frames one element per
     * message (RFC 7395 §3.3.3) asks this after each message.
     */
    public boolean betweenElements() {
        return state == State.STREAM && assembler.depth() == 0 && fed == lastBoundary;
    }

    /** The size on the wire of the last first-level element this decoder handed on. */
    public int lastElementBytes() {
        return lastElementBytes;
    }

    /**
     * Hands on no more elements once the bytes already fed to the parser are used (at most
     * {@value #MAX_FEED_BYTES}), until {@link #release}: a read can carry hundreds of stanzas, and
     * a session that must stop taking input (its own backlog, the server's) would otherwise get
     * them all parsed at once. The rest waits in the decoder's buffer, unparsed; the caller stops
     * reading from the socket too. On the event loop, typically from a handler downstream while it
     * handles an element.
     */
    public void hold() {
        held = true;
    }

    public boolean held() {
        return held;
    }

    /**
     * Hands on what was held back, now, then what arrives; elements handed on may hold the
     * decoder again. On the channel's event loop.
     */
    public void release(Channel channel) {
        if (!held) {
            return;
        }
        held = false;
        ChannelHandlerContext ctx = channel.pipeline().context(this);
        if (ctx == null || !internalBuffer().isReadable()) {
            return;
        }
        try {
            // An empty read decodes what is buffered, as a read of more bytes would.
            channelRead(ctx, Unpooled.EMPTY_BUFFER);
            channelReadComplete(ctx);
        } catch (Exception e) {
            ctx.fireExceptionCaught(e);
        }
    }

    /** Whether the parser has lent its buffers back ({@link IdleScanner#release()}); for tests. */
    boolean parserBuffersLent() {
        return scanner != null && scanner.released();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (state == State.ENDED || state == State.FAILED) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            while (true) {
                int event = reader.next();
                if (event == AsyncXMLStreamReader.EVENT_INCOMPLETE) {
                    in.skipBytes((int) (fed - consumed));
                    consumed = fed;
                    checkPendingSize();
                    if (held) {
                        // Only here: Aalto reads the fed bytes in place (a view of the buffer), so
                        // it must have used them all before the buffer may wait, grow or be compacted.
                        return;
                    }
                    int readable = in.readableBytes();
                    if (readable == 0) {
                        return;
                    }
                    int whole = wholeCharacters(in, Math.min(readable, MAX_FEED_BYTES));
                    if (whole == 0) {
                        return; // the start of a character: wait for the rest of it
                    }
                    feed(in, whole);
                    continue;
                }
                Object message = handle(event, out);
                if (message != null) {
                    out.add(message);
                    if (state == State.ENDED) {
                        in.skipBytes(in.readableBytes());
                        return;
                    }
                    long end = reader.getLocationInfo().getEndingByteOffset();
                    if (end > consumed) {
                        // Let downstream see this message (and perhaps reset()) before anything
                        // after it is parsed; ByteToMessageDecoder calls again for the rest.
                        in.skipBytes((int) (end - consumed));
                        consumed = end;
                        return;
                    }
                }
            }
        } catch (XMLStreamException e) {
            throw fail(in, parserFailure(in, e));
        } catch (UncheckedStreamException e) {
            // Aalto scans text lazily: an illegal character in it surfaces from getText().
            throw fail(in, parserFailure(in, e.getCause() instanceof XMLStreamException x ? x
                    : new XMLStreamException(e.getMessage(), e)));
        } catch (XmlStreamException e) {
            throw fail(in, e);
        } catch (RuntimeException e) {
            if (!thrownByParser(e)) {
                throw e;
            }
            // Aalto gives up on some input without an XMLStreamException, e.g. an element prefixed
            // 'xmlns', which Namespaces in XML §3 forbids: it is not well-formed all the same.
            throw fail(in, new XmlStreamException(Kind.NOT_WELL_FORMED, XmlChars.printable(e.getMessage()), e));
        }
    }

    private static boolean thrownByParser(RuntimeException e) {
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length > 0 && trace[0].getClassName().startsWith("com.fasterxml.aalto.");
    }

    /** A read is over: a connection now idle between elements lends its parser buffers back. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        if (scanner != null && betweenElements()) {
            scanner.release();
        }
        if (held) {
            // ByteToMessageDecoder would ask the socket for more when a read decoded nothing and
            // reading is off (it assumes a partial frame), filling this buffer without end.
            discardSomeReadBytes();
            ctx.fireChannelReadComplete();
            return;
        }
        super.channelReadComplete(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        closeParser();
    }

    /** Returns the message the event completes, or null. */
    private Object handle(int event, List<Object> out) throws XMLStreamException {
        switch (event) {
            case XMLStreamConstants.START_ELEMENT -> {
                if (state == State.PROLOG) {
                    return header(out);
                }
                int depth = assembler.depth() + 1;
                if (depth > limits.maxDepth()) {
                    throw new XmlStreamException(Kind.POLICY_VIOLATION,
                            "element nesting exceeds " + limits.maxDepth() + " levels");
                }
                if (depth == 1) {
                    stanzaStart = reader.getLocationInfo().getStartingByteOffset();
                }
                checkLocalNames();
                assembler.start(reader);
                return null;
            }
            case XMLStreamConstants.END_ELEMENT -> {
                int depth = assembler.depth();
                if (depth == 0) {
                    state = State.ENDED;
                    return new StreamEnd();
                }
                Element element = assembler.end();
                if (depth > 1) {
                    return null;
                }
                long end = reader.getLocationInfo().getEndingByteOffset();
                checkSize(end - stanzaStart);
                lastElementBytes = (int) (end - stanzaStart);
                lastBoundary = end;
                return element;
            }
            case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                if (assembler.depth() > 0) {
                    assembler.text(reader);
                } else if (state == State.STREAM) {
                    // Whitespace keepalives between stanzas carry nothing; only move the mark
                    // so they never count towards the next stanza's size.
                    lastBoundary = reader.getLocationInfo().getEndingByteOffset();
                }
                return null;
            }
            case XMLStreamConstants.COMMENT -> throw restricted("comment");
            case XMLStreamConstants.PROCESSING_INSTRUCTION -> throw restricted("processing instruction");
            case XMLStreamConstants.DTD -> throw restricted("document type declaration");
            case XMLStreamConstants.ENTITY_REFERENCE -> throw restricted("entity reference &" + reader.getLocalName() + ';');
            case XMLStreamConstants.ENTITY_DECLARATION, XMLStreamConstants.NOTATION_DECLARATION ->
                    throw restricted("markup declaration");
            default -> {
                return null; // START_DOCUMENT (the XML declaration), END_DOCUMENT
            }
        }
    }

    /**
     * Namespaces in XML 1.0 §3: the local part of a prefixed name is an NCName. Aalto checks the
     * whole qualified name as an XML Name only, which lets a digit, '-' or '.' start the local part
     * ({@code <x:1a xmlns:x='ur'/>}): an element no writer could put back in a stream unprefixed.
     */
    private void checkLocalNames() {
        if (prefixed(reader.getPrefix())) {
            checkLocalName(reader.getLocalName());
        }
        for (int i = 0, n = reader.getAttributeCount(); i < n; i++) {
            if (prefixed(reader.getAttributePrefix(i))) {
                checkLocalName(reader.getAttributeLocalName(i));
            }
        }
    }

    private static boolean prefixed(String prefix) {
        return prefix != null && !prefix.isEmpty();
    }

    private static void checkLocalName(String local) {
        if (local.isEmpty() || !XmlChars.isNcNameStartChar(local.codePointAt(0))) {
            throw new XmlStreamException(Kind.NOT_WELL_FORMED, "'" + XmlChars.printable(local)
                    + "' cannot start the local part of a prefixed name (Namespaces in XML 1.0 §3)");
        }
    }

    private StreamHeader header(List<Object> out) throws XMLStreamException {
        String defaultNamespace = "";
        for (int i = 0, n = reader.getNamespaceCount(); i < n; i++) {
            String prefix = reader.getNamespacePrefix(i);
            if (prefix == null || prefix.isEmpty()) {
                defaultNamespace = reader.getNamespaceURI(i);
            }
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0, n = reader.getAttributeCount(); i < n; i++) {
            String prefix = reader.getAttributePrefix(i);
            String local = reader.getAttributeLocalName(i);
            attributes.put(prefix == null || prefix.isEmpty() ? local : prefix + ':' + local,
                    reader.getAttributeValue(i));
        }
        StreamHeader header = new StreamHeader(defaultNamespace, reader.getNamespaceURI(), reader.getLocalName(),
                attributes);
        long end = reader.getLocationInfo().getEndingByteOffset();
        checkSize(end);
        headerEnd = end;
        state = State.STREAM;
        lastBoundary = end;
        if (!"stream".equals(header.localName())
                || !StreamHeader.STREAMS_NAMESPACE.equals(header.streamNamespace())) {
            // Still deliver the header first: the reply must open a stream before its error
            // (RFC 6120 §4.9.1.1), and Netty fires decoded messages before the exception.
            out.add(header);
            throw new XmlStreamException(Kind.INVALID_NAMESPACE,
                    "stream root is {" + header.streamNamespace() + "}" + header.localName());
        }
        return header;
    }

    /**
     * How many of the next {@code length} bytes are whole, well-formed UTF-8 characters; throws
     * when the first is ill-formed. Only those are fed: the stanzas before a bad byte are still
     * parsed and handed on, and the stream fails once the parser needs the bad byte.
     */
    private static int wholeCharacters(ByteBuf in, int length) {
        int from = in.readerIndex();
        int end = Utf8Validator.wholeCharacters(in, from, from + length);
        if (end == -1 - from) {
            throw new XmlStreamException(Kind.NOT_WELL_FORMED, String.format(
                    "byte 0x%02X starts no well-formed UTF-8 sequence (RFC 3629 §4)", in.getByte(from) & 0xFF));
        }
        return (end < 0 ? -1 - end : end) - from;
    }

    /**
     * A failure Aalto reported. Aalto names few markup declarations as such, yet RFC 6120 §11.1
     * wants restricted-xml for them: one in the prolog before the failure, or one just before the
     * point of failure, makes it restricted. Only bytes before that point count (Aalto has them
     * whatever was fed after), so the verdict does not depend on how the input was split.
     */
    private XmlStreamException parserFailure(ByteBuf in, XMLStreamException e) {
        long at = e.getLocation() != null && e.getLocation().getCharacterOffset() >= 0
                ? e.getLocation().getCharacterOffset() : fed;
        boolean restricted = declarationAt < Math.min(at, headerEnd) || declarationNear(in, at);
        // The message may quote the offending character, which must not go back in a stream error.
        return new XmlStreamException(restricted ? Kind.RESTRICTED_XML : Kind.NOT_WELL_FORMED,
                XmlChars.printable(e.getMessage()), e);
    }

    /** Whether a declaration keyword starts within a few bytes before {@code at}, where Aalto stopped. */
    private boolean declarationNear(ByteBuf in, long at) {
        int b2 = -1;
        int b1 = -1;
        for (long o = Math.max(at - 8, feedStart - beforeCount), end = Math.min(at, fed); o < end; o++) {
            int b = byteAt(in, o);
            if (b2 == '<' && b1 == '!' && b >= 0 && b != '-' && b != '[') {
                return true;
            }
            b2 = b1;
            b1 = b;
        }
        return false;
    }

    /** The byte at stream offset {@code o} (within the latest feed or the eight before it), or -1. */
    private int byteAt(ByteBuf in, long o) {
        if (o < feedStart) {
            return (int) (before >>> (8 * (feedStart - 1 - o))) & 0xFF;
        }
        long index = in.readerIndex() + (o - consumed);
        return index >= 0 && index < in.writerIndex() ? in.getByte((int) index) & 0xFF : -1;
    }

    private void feed(ByteBuf in, int length) throws XMLStreamException {
        int index = in.readerIndex();
        ByteBuffer bytes = in.nioBuffer(index, length);
        // Aalto computes byte offsets as if every fed buffer started at position 0.
        if (bytes.position() != 0) {
            bytes = bytes.slice();
        }
        before = recent;
        beforeCount = recentCount;
        if (length >= 8) {
            recent = in.getLong(index + length - 8);
        } else {
            for (int i = index; i < index + length; i++) {
                recent = recent << 8 | (in.getByte(i) & 0xFF);
            }
        }
        recentCount = Math.min(8, recentCount + length);
        feedStart = fed;
        if (state == State.PROLOG && declarationAt == Long.MAX_VALUE) {
            int i = RestrictedMarkup.declarationAt(beforeCount > 1 ? (int) (before >>> 8) & 0xFF : -1,
                    beforeCount > 0 ? (int) before & 0xFF : -1, in, index, index + length);
            if (i >= 0) {
                declarationAt = feedStart + (i - index);
            }
        }
        fed += length;
        reader.getInputFeeder().feedInput(bytes);
    }

    /** Everything fed so far was consumed without completing the current unit. */
    private void checkPendingSize() {
        checkSize(fed - (assembler.depth() > 0 ? stanzaStart : lastBoundary));
    }

    private void checkSize(long bytes) {
        if (bytes > limits.maxStanzaBytes()) {
            throw new XmlStreamException(Kind.POLICY_VIOLATION,
                    "more than " + limits.maxStanzaBytes() + " bytes in one stanza");
        }
    }


    private static XmlStreamException restricted(String what) {
        return new XmlStreamException(Kind.RESTRICTED_XML, what + " is not allowed in XMPP (RFC 6120 §11.1)");
    }

    private XmlStreamException fail(ByteBuf in, XmlStreamException e) {
        state = State.FAILED;
        in.skipBytes(in.readableBytes());
        closeParser();
        return e;
    }

    private void newParser() {
        if (factory instanceof InputFactoryImpl aalto) {
            // As Aalto's createAsyncForByteBuffer(), with a scanner that can lend its buffers back.
            ReaderConfig config = aalto.getNonSharedConfig(null, null, null, false, false);
            config.setActualEncoding("UTF-8");
            scanner = new IdleScanner(config);
            reader = new AsyncStreamReaderImpl<>(scanner);
        } else {
            scanner = null;
            reader = factory.createAsyncForByteBuffer();
        }
        assembler.reset();
        state = State.PROLOG;
        consumed = 0;
        fed = 0;
        feedStart = 0;
        stanzaStart = 0;
        lastBoundary = 0;
        before = 0;
        beforeCount = 0;
        recent = 0;
        recentCount = 0;
        declarationAt = Long.MAX_VALUE;
        headerEnd = Long.MAX_VALUE;
    }

    private void closeParser() {
        try {
            reader.close();
        } catch (XMLStreamException ignored) {
            // Closing only returns buffers to Aalto's recycler; nothing to report.
        }
    }
}
