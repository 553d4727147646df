package org.parley.feature.muc;

import java.util.Locale;

/** A user's long-lived standing in a room (XEP-0045 §5.2), highest first. */
public enum Affiliation {
    OWNER, ADMIN, MEMBER, NONE, OUTCAST;

    private final String xml = name().toLowerCase(Locale.ROOT);

    public String xmlValue() {
        return xml;
    }

    /** The affiliation named {@code value}, or null when it names none. */
    public static Affiliation parse(String value) {
        for (Affiliation a : values()) {
            if (a.xml.equals(value)) {
                return a;
            }
        }
        return null;
    }

    /** Whether this affiliation ranks at least as high as {@code other}. */
    public boolean atLeast(Affiliation other) {
        return ordinal() <= other.ordinal();
    }
}
