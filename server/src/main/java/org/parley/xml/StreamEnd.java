package org.parley.xml;

/** The closing {@code </stream:stream>} tag, inbound or outbound. All instances are equal. */
public record StreamEnd() {

    /** The closing tag as written on the wire. */
    public static final String XML = "</stream:stream>";

    public String toXml() {
        return XML;
    }
}
