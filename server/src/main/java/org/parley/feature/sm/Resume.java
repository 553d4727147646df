package org.parley.feature.sm;

import org.parley.xml.Element;

/**
 * The client's {@code <resume/>} (XEP-0198 §5).
 *
 * @param previd the id the server gave in {@code <enabled/>}
 * @param h      the stanzas the client handled, or -1 when the attribute is missing or malformed
 */
record Resume(String previd, long h) {
    static final String ELEMENT = "resume";

    static Resume from(Element e) {
        return new Resume(e.attr("previd"), Sm.h(e));
    }
}
