package org.parley.config;

import java.net.IDN;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;

/** Domain names as settings take them: the domainpart of RFC 7622 §3.2 in lower-case ASCII. */
final class Domains {

    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    private Domains() {
    }

    /** The ASCII form of {@code text} (one trailing dot dropped), or null when it is no domain name. */
    static String ascii(String text) {
        text = text.trim();
        if (text.endsWith(".")) {
            text = text.substring(0, text.length() - 1);
        }
        String ascii;
        try {
            ascii = IDN.toASCII(text, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (ascii.isEmpty() || ascii.length() > 253
                || !Arrays.stream(ascii.split("\\.", -1)).allMatch(l -> LABEL.matcher(l).matches())) {
            return null;
        }
        return ascii;
    }
}
