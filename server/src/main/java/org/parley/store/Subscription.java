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

    /** The user receives the contact's presence. */
    public boolean hasTo() {
        return this == TO || this == BOTH;
    }

    /** The contact receives the user's presence. */
    public boolean hasFrom() {
        return this == FROM || this == BOTH;
    }

    public Subscription withTo() {
        return this == NONE ? TO : this == FROM ? BOTH : this;
    }

    public Subscription withFrom() {
        return this == NONE ? FROM : this == TO ? BOTH : this;
    }

    public Subscription withoutTo() {
        return this == TO ? NONE : this == BOTH ? FROM : this;
    }

    public Subscription withoutFrom() {
        return this == FROM ? NONE : this == BOTH ? TO : this;
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
