package org.parley.store;

/** Roster subscription state (RFC 6121 §2.1.2.5), without the pending flags. */
public enum Subscription {
    NONE("none"),
    TO("to"),
    FROM("from"),
    BOTH("both");

    private final String xmlValue;

    Subscription(String xmlValue) {
        this.xmlValue = xmlValue;
    }

    /** The value of the roster item's {@code subscription} attribute. */
    public String xmlValue() {
        return xmlValue;
    }

    /**
     * @throws IllegalArgumentException for anything but the four states; {@code remove} is a
     *     roster-set instruction, not a state
     */
    public static Subscription fromXml(String value) {
        for (Subscription s : values()) {
            if (s.xmlValue.equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException("not a subscription state: " + value);
    }
}
