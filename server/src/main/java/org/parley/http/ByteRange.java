package org.parley.http;

import java.util.Locale;

/**
 * One byte range of a {@code Range: bytes=...} request (RFC 9110 §14.1.2), resolved against the
 * representation's size: {@code 0-499}, {@code 500-} and the suffix {@code -500}.
 *
 * @param first the first byte's offset
 * @param last the last byte's offset, inclusive
 */
public record ByteRange(long first, long last) {

    /** The range asks only for bytes past the end: answer 416 with {@code Content-Range: bytes *}{@code /size}. */
    public static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

    public long length() {
        return last - first + 1;
    }

    /** The value of {@code Content-Range} for this range of a representation of {@code size} bytes (§14.4). */
    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }

    /**
     * The range a {@code Range} header asks of {@code size} bytes; null when the server should
     * ignore it and send the whole representation, as §14.2 allows: no header, another unit, a
     * syntax error, several ranges (a multipart answer is not worth its cost for files), or an
     * empty representation; {@link #UNSATISFIABLE} when no byte of it exists.
     */
    public static ByteRange parse(String header, long size) {
        if (header == null || size <= 0) {
            return null;
        }
        String h = header.trim();
        if (!h.toLowerCase(Locale.ROOT).startsWith("bytes=")) {
            return null;
        }
        String spec = h.substring("bytes=".length()).trim();
        int dash = spec.indexOf('-');
        if (dash < 0 || spec.indexOf(',') >= 0) {
            return null;
        }
        String a = spec.substring(0, dash).trim();
        String b = spec.substring(dash + 1).trim();
        try {
            if (a.isEmpty()) {
                long suffix = digits(b);
                if (suffix == 0) {
                    return UNSATISFIABLE;
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long first = digits(a);
            long last = b.isEmpty() ? Long.MAX_VALUE : digits(b);
            if (last < first) {
                return null; // §14.1.1: invalid, so ignored
            }
            if (first >= size) {
                return UNSATISFIABLE;
            }
            return new ByteRange(first, Math.min(last, size - 1));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long digits(String s) {
        if (s.isEmpty() || s.length() > 18 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new NumberFormatException(s);
        }
        return Long.parseLong(s);
    }
}
