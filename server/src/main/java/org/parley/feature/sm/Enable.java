package org.parley.feature.sm;

import org.parley.xml.Element;

/**
 * The client's {@code <enable/>} (XEP-0198 §3).
 *
 * @param resume     whether the client wants the session to be resumable
 * @param maxSeconds the resumption window the client prefers, or 0 when it states none
 */
record Enable(boolean resume, long maxSeconds) {
    static final String ELEMENT = "enable";

    static Enable from(Element e) {
        String r = e.attr("resume");
        long max = 0;
        String m = e.attr("max");
        if (m != null) {
            try {
                max = Math.max(0, Long.parseLong(m.trim()));
            } catch (NumberFormatException ex) {
                max = 0;
            }
        }
        return new Enable("true".equals(r) || "1".equals(r), max);
    }
}
