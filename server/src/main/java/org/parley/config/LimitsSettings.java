package org.parley.config;

/** {@code limits.*}: what one stanza may be (RFC 6120 §13.12). */
public record LimitsSettings(SectionValues values) {

    static final Option<Integer> MAX_STANZA_BYTES = Option.integer("maxStanzaBytes", 262_144, 1, 16 * 1024 * 1024,
            "larger stanzas end the stream with policy-violation");
    static final Option<Integer> MAX_DEPTH = Option.integer("maxDepth", 32, 1, 1024,
            "deeper nesting ends the stream with policy-violation");

    public static final Section SECTION = Section.of("limits", MAX_STANZA_BYTES, MAX_DEPTH);

    public int maxStanzaBytes() {
        return values.get(MAX_STANZA_BYTES);
    }

    public int maxDepth() {
        return values.get(MAX_DEPTH);
    }
}
