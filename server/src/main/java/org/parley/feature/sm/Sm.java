package org.parley.feature.sm;

import org.parley.xml.Element;
import org.parley.xmpp.Namespaces;

/** The XEP-0198 nonzas the server sends, built in one place. */
final class Sm {
    static final String NAMESPACE = "urn:xmpp:sm:3";
    static final long MOD = 1L << 32;

    private Sm() {
    }

    /** {@code <sm xmlns='urn:xmpp:sm:3'/>}, the stream feature. */
    static Element feature() {
        return Element.empty("sm", NAMESPACE);
    }

    static Element request() {
        return Element.empty("r", NAMESPACE);
    }

    static Element ack(long handled) {
        return Element.builder("a", NAMESPACE).attr("h", Long.toString(handled % MOD)).build();
    }

    static Element enabled(String id, boolean resume, long maxSeconds) {
        Element.Builder b = Element.builder("enabled", NAMESPACE);
        if (resume) {
            b.attr("id", id).attr("resume", "true").attr("max", Long.toString(maxSeconds));
        }
        return b.build();
    }

    static Element resumed(String previd, long handled) {
        return Element.builder("resumed", NAMESPACE).attr("previd", previd)
                .attr("h", Long.toString(handled % MOD)).build();
    }

    /** {@code <failed/>} with a stanza error condition (RFC 6120 §8.3.3), and the handled count when known. */
    static Element failed(String condition, Long handled, Element extra) {
        Element.Builder b = Element.builder("failed", NAMESPACE);
        if (handled != null) {
            b.attr("h", Long.toString(handled % MOD));
        }
        return b.child(Element.empty(condition, Namespaces.STANZA_ERRORS)).child(extra).build();
    }

    /** XEP-0198 §4: the peer acknowledged more than was sent. */
    static Element handledCountTooHigh(long h, long sent) {
        return Element.builder("handled-count-too-high", NAMESPACE).attr("h", Long.toString(h))
                .attr("send-count", Long.toString(sent % MOD)).build();
    }

    /** An unsigned 32-bit 'h' attribute, or -1 when missing or malformed. */
    static long h(Element e) {
        String v = e.attr("h");
        if (v == null) {
            return -1;
        }
        try {
            long h = Long.parseLong(v.trim());
            return h < 0 || h >= MOD ? -1 : h;
        } catch (NumberFormatException ex) {
            return -1;
        }
    }
}
