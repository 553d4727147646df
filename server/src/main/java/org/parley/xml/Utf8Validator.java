package org.parley.xml;

import io.netty.buffer.ByteBuf;

/**
 * Checks that inbound bytes are well-formed UTF-8 (RFC 3629 §3 and §4; the Unicode Standard's
 * Table 3-7) before Aalto decodes them, and finds where the last whole character ends.
 *
 * <p>Aalto decodes some ill-formed sequences without complaint: overlong forms ({@code C0 AF}
 * becomes {@code /}, a classic way past filters), code points above U+10FFFF and lead bytes
 * {@code F5}–{@code FF}. Such bytes make the document not well-formed (XML 1.0 §4.3.3), so the
 * stream ends with {@code <not-well-formed/>}. And Aalto 1.3.3 decodes a four-byte character in
 * an attribute value wrongly when one feed ends inside it (U+1F600 comes out as U+F600); feeding
 * it whole characters only keeps it off that path.
 *
 * <p>One pass over each byte; runs of ASCII, the bulk of XMPP traffic, are skipped eight bytes at
 * a time.
 */
final class Utf8Validator {
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8Validator() {
    }

    /**
     * Checks {@code buf[from, to)}, which must start at a character boundary. Returns the index
     * where its whole characters end: {@code to}, or the start of a character whose bytes are not
     * all there yet. When a byte sequence is ill-formed, returns {@code -1 - start} instead, with
     * {@code start} the index of its first byte; everything before it is whole characters.
     */
    static int wholeCharacters(ByteBuf buf, int from, int to) {
        int i = from;
        while (i < to) {
            // Little-endian reads: only the high bit of each byte matters, so no byte swap is needed.
            while (i + 16 <= to && ((buf.getLongLE(i) | buf.getLongLE(i + 8)) & HIGH_BITS) == 0) {
                i += 16;
            }
            while (i + 8 <= to && (buf.getLongLE(i) & HIGH_BITS) == 0) {
                i += 8;
            }
            if (i == to) {
                break;
            }
            int b = buf.getByte(i) & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int need;
            int lo = 0x80;
            int hi = 0xBF;
            if (b < 0xC2) {
                return -1 - i; // a continuation byte without a lead, or C0/C1: only overlong forms
            } else if (b < 0xE0) {
                need = 1;
            } else if (b < 0xF0) {
                need = 2;
                lo = b == 0xE0 ? 0xA0 : 0x80; // E0 80..9F would be overlong
                hi = b == 0xED ? 0x9F : 0xBF; // ED A0..BF would be a surrogate, U+D800..U+DFFF
            } else if (b < 0xF5) {
                need = 3;
                lo = b == 0xF0 ? 0x90 : 0x80; // F0 80..8F would be overlong
                hi = b == 0xF4 ? 0x8F : 0xBF; // F4 90.. and F5.. would be above U+10FFFF
            } else {
                return -1 - i;
            }
            int start = i++;
            for (; need > 0; need--, i++) {
                if (i == to) {
                    return start; // the rest of this character comes with the next read
                }
                int c = buf.getByte(i) & 0xFF;
                if (c < lo || c > hi) {
                    return -1 - start;
                }
                lo = 0x80;
                hi = 0xBF;
            }
        }
        return to;
    }
}
