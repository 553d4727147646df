package org.parley.xml;

/**
 * Parser limits applied per connection.
 *
 * @param maxStanzaBytes the largest first-level element (stanza or negotiation element) accepted,
 *                       in raw bytes as received; also bounds the prolog plus stream header and any
 *                       run of bytes between stanzas
 * @param maxDepth       the deepest nesting accepted, counting the first-level element as 1
 */
public record XmlLimits(int maxStanzaBytes, int maxDepth) {

    public XmlLimits {
        if (maxStanzaBytes <= 0) {
            throw new IllegalArgumentException("maxStanzaBytes must be positive: " + maxStanzaBytes);
        }
        if (maxDepth <= 0) {
            throw new IllegalArgumentException("maxDepth must be positive: " + maxDepth);
        }
    }

    /** 256 KiB stanzas, 32 levels: generous for real clients, small enough to bound memory. */
    public static XmlLimits defaults() {
        return new XmlLimits(262_144, 32);
    }
}
