package org.parley.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Cuts the server's byte stream into top-level pieces: the stream header (depth 0 to 1), each
 * complete stanza or nonza at depth 1, and the stream end. A full XML parser is not needed
 * because the generator only recognises a handful of replies by name; strings are decoded as
 * ISO-8859-1 so a multi-byte UTF-8 sequence split across reads cannot corrupt the ASCII markers
 * that matter. Assumes what servers send: no comments, no CDATA, quoted attribute values.
 */
final class StanzaSplitter extends ByteToMessageDecoder {

    /** The element that opened the stream; the handler answers it with nothing but waits for features. */
    static final String STREAM_OPEN = "<stream:stream>";
    static final String STREAM_CLOSE = "</stream:stream>";

    private int depth;
    private int scanned;   // bytes of the current top-level piece already scanned (relative to readerIndex)
    private int pieceDepth; // depth at `scanned`

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            String piece = next(in);
            if (piece == null) {
                return;
            }
            out.add(piece);
        }
    }

    /** Restart after STARTTLS or SASL success: a new stream header follows. */
    void reset() {
        depth = 0;
        scanned = 0;
        pieceDepth = 0;
    }

    private String next(ByteBuf in) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        int i = start + scanned;
        int d = scanned == 0 ? depth : pieceDepth;
        while (i < end) {
            int lt = in.indexOf(i, end, (byte) '<');
            if (lt < 0) {
                if (d <= 1 && scanned == 0) {
                    in.skipBytes(end - start); // whitespace keepalives between stanzas
                    return null;
                }
                scanned = end - start;
                pieceDepth = d;
                return null;
            }
            int gt = tagEnd(in, lt, end);
            if (gt < 0) {
                scanned = lt - start;
                pieceDepth = d;
                return null;
            }
            byte second = in.getByte(lt + 1);
            boolean selfClosing = in.getByte(gt - 1) == '/';
            if (second == '?' || second == '!') {
                i = gt + 1;
                if (d <= 1) { // prolog: drop it
                    in.readerIndex(gt + 1);
                    start = gt + 1;
                    scanned = 0;
                }
                continue;
            }
            if (second == '/') {
                d--;
                if (d == 0) {
                    in.readerIndex(gt + 1);
                    depth = 0;
                    scanned = 0;
                    return STREAM_CLOSE;
                }
            } else if (!selfClosing) {
                d++;
                if (d == 1) {
                    in.readerIndex(gt + 1);
                    depth = 1;
                    scanned = 0;
                    return STREAM_OPEN;
                }
            }
            i = gt + 1;
            if (d == 1) { // a top-level element just ended (closing tag or self-closing)
                String s = in.toString(start, gt + 1 - start, StandardCharsets.ISO_8859_1);
                in.readerIndex(gt + 1);
                depth = 1;
                scanned = 0;
                return s.strip();
            }
        }
        scanned = end - start;
        pieceDepth = d;
        return null;
    }

    /** Index of the '>' closing the tag that starts at {@code lt}, skipping quoted values; -1 if incomplete. */
    private static int tagEnd(ByteBuf in, int lt, int end) {
        byte quote = 0;
        for (int j = lt + 1; j < end; j++) {
            byte b = in.getByte(j);
            if (quote != 0) {
                if (b == quote) {
                    quote = 0;
                }
            } else if (b == '"' || b == '\'') {
                quote = b;
            } else if (b == '>') {
                return j;
            }
        }
        return -1;
    }
}
