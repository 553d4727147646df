package org.parley.feature.vcard;

/**
 * The content type and pixel size of an avatar image, read from its header only (PNG, GIF and
 * JPEG, the types XEP-0084 §4.2.1 requires or recommends), so the XEP-0084 metadata can carry
 * width and height. Anything else, or a header that does not parse, gives what is known: no size.
 *
 * @param type   the content type the bytes show, or null when unrecognised
 * @param width  pixels, 0 when unknown
 * @param height pixels, 0 when unknown
 */
record ImageSize(String type, int width, int height) {
    private static final ImageSize UNKNOWN = new ImageSize(null, 0, 0);

    boolean known() {
        return width > 0 && height > 0;
    }

    static ImageSize of(byte[] b) {
        if (startsWith(b, 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a)) {
            // The IHDR chunk comes first: length (4), "IHDR" (4), width (4), height (4), big-endian.
            return b.length >= 24 && b[12] == 'I' && b[13] == 'H' && b[14] == 'D' && b[15] == 'R'
                    ? sized("image/png", int32(b, 16), int32(b, 20)) : new ImageSize("image/png", 0, 0);
        }
        if (startsWith(b, 'G', 'I', 'F', '8')) {
            // Logical screen width and height, little-endian, after the 6-byte signature.
            return b.length >= 10 ? sized("image/gif", u8(b, 6) | u8(b, 7) << 8, u8(b, 8) | u8(b, 9) << 8)
                    : new ImageSize("image/gif", 0, 0);
        }
        if (startsWith(b, 0xff, 0xd8)) {
            return jpeg(b);
        }
        return UNKNOWN;
    }

    /** Walks the JPEG markers to the first start-of-frame, which holds height then width. */
    private static ImageSize jpeg(byte[] b) {
        int i = 2;
        while (i + 4 <= b.length) {
            if (u8(b, i) != 0xff) {
                break;
            }
            int marker = u8(b, i + 1);
            if (marker == 0xff) {
                i++; // fill byte
                continue;
            }
            if (marker == 0xd8 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
                i += 2; // markers without a length
                continue;
            }
            int length = u8(b, i + 2) << 8 | u8(b, i + 3);
            boolean sof = marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
            if (sof) {
                return i + 9 <= b.length
                        ? sized("image/jpeg", u8(b, i + 7) << 8 | u8(b, i + 8), u8(b, i + 5) << 8 | u8(b, i + 6))
                        : new ImageSize("image/jpeg", 0, 0);
            }
            if (marker == 0xd9 || marker == 0xda || length < 2) {
                break; // end of image or start of scan before any frame header
            }
            i += 2 + length;
        }
        return new ImageSize("image/jpeg", 0, 0);
    }

    private static ImageSize sized(String type, long width, long height) {
        return width > 0 && height > 0 && width <= Integer.MAX_VALUE && height <= Integer.MAX_VALUE
                ? new ImageSize(type, (int) width, (int) height) : new ImageSize(type, 0, 0);
    }

    private static boolean startsWith(byte[] b, int... prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (u8(b, i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xff;
    }

    private static long int32(byte[] b, int i) {
        return (long) u8(b, i) << 24 | u8(b, i + 1) << 16 | u8(b, i + 2) << 8 | u8(b, i + 3);
    }
}
