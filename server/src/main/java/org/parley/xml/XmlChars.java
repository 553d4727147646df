package org.parley.xml;

/** The characters XML 1.0 allows in a document (§2.2, production [2] {@code Char}). */
public final class XmlChars {
    private XmlChars() {
    }

    /** {@code #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]}. */
    public static boolean isChar(int codePoint) {
        return codePoint >= 0x20 ? codePoint <= 0xD7FF || codePoint >= 0xE000 && codePoint <= 0xFFFD
                || codePoint >= 0x10000 && codePoint <= 0x10FFFF
                : codePoint == 0x9 || codePoint == 0xA || codePoint == 0xD;
    }

    /** True when every code point of {@code s} is a {@link #isChar Char} and no surrogate is unpaired. */
    public static boolean allChars(CharSequence s) {
        for (int i = 0, n = s.length(); i < n; ) {
            int cp = Character.codePointAt(s, i);
            if (!isChar(cp)) {
                return false; // a lone surrogate comes back as itself, which is no Char
            }
            i += Character.charCount(cp);
        }
        return true;
    }

    /** {@code s} with every code point that is not a Char replaced by {@code ?}: safe to write into a document. */
    public static String printable(String s) {
        if (s == null || allChars(s)) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0, n = s.length(); i < n; ) {
            int cp = Character.codePointAt(s, i);
            out.appendCodePoint(isChar(cp) ? cp : '?');
            i += Character.charCount(cp);
        }
        return out.toString();
    }
}
