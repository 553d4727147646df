package org.parley.xml;

import io.netty.buffer.ByteBuf;

/**
 * Recognises markup declarations ({@code <!DOCTYPE}, {@code <!ENTITY}, {@code <!ELEMENT}, ...)
 * in raw bytes.
 *
 * <p>Aalto reports most of them only as a generic well-formedness error, yet RFC 6120 §11.1
 * wants {@code <restricted-xml/>} for them. {@code <!} followed by anything other than
 * {@code -} (comment) or {@code [} (CDATA) can only be such a declaration, because {@code <}
 * cannot occur raw in text or attribute values. Only called on error paths and over the prolog,
 * so the byte loop never runs over stanza traffic.
 */
final class RestrictedMarkup {
    private RestrictedMarkup() {
    }

    /**
     * Where in {@code buf[from, to)}, preceded by the bytes {@code before2} and {@code before1}
     * (-1 when there are none), the first {@code <!} followed by a declaration keyword has that
     * keyword: its index, or -1 when there is none.
     */
    static int declarationAt(int before2, int before1, ByteBuf buf, int from, int to) {
        int b2 = before2;
        int b1 = before1;
        for (int i = from; i < to; i++) {
            int b = buf.getByte(i);
            if (b2 == '<' && b1 == '!' && b != '-' && b != '[') {
                return i;
            }
            b2 = b1;
            b1 = b;
        }
        return -1;
    }
}
