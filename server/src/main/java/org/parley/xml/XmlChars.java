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

    /**
     * XML 1.0 §2.3 production [4] {@code NameStartChar}, without {@code ':'}: what may start an
     * NCName (Namespaces in XML 1.0 §3), such as the local part of a prefixed name.
     */
    public static boolean isNcNameStartChar(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
                || c >= 0xC0 && c <= 0xD6 || c >= 0xD8 && c <= 0xF6 || c >= 0xF8 && c <= 0x2FF
                || c >= 0x370 && c <= 0x37D || c >= 0x37F && c <= 0x1FFF || c == 0x200C || c == 0x200D
                || c >= 0x2070 && c <= 0x218F || c >= 0x2C00 && c <= 0x2FEF || c >= 0x3001 && c <= 0xD7FF
                || c >= 0xF900 && c <= 0xFDCF || c >= 0xFDF0 && c <= 0xFFFD || c >= 0x10000 && c <= 0xEFFFF;
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
