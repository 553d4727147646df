package org.parley.feature.muc;

import java.util.Locale;

/** An occupant's standing while in the room (XEP-0045 §5.1), highest first. */
public enum Role {
    MODERATOR, PARTICIPANT, VISITOR, NONE;

    private final String xml = name().toLowerCase(Locale.ROOT);

    public String xmlValue() {
        return xml;
    }

    /** The role named {@code value}, or null when it names none. */
    public static Role parse(String value) {
        for (Role r : values()) {
            if (r.xml.equals(value)) {
                return r;
            }
        }
        return null;
    }

    /** Whether this role ranks at least as high as {@code other}. */
    public boolean atLeast(Role other) {
        return ordinal() <= other.ordinal();
    }
}
