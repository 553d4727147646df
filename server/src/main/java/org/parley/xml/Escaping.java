package org.parley.xml;

/** XML escaping for character data and attribute values. */
public final class Escaping {
    private Escaping() {
    }

    public static void escapeText(CharSequence s, StringBuilder out) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                // A raw CR would come back as LF (XML 1.0 §2.11 end-of-line handling).
                case '\r' -> out.append("&#13;");
                default -> out.append(c);
            }
        }
    }

    public static void escapeAttribute(CharSequence s, StringBuilder out) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                case '\n' -> out.append("&#10;");
                case '\r' -> out.append("&#13;");
                case '\t' -> out.append("&#9;");
                default -> out.append(c);
            }
        }
    }
}
