package org.parley.feature.last;

import org.parley.xml.Element;

/** The {@code <query xmlns='jabber:iq:last' seconds='...'>status</query>} element (XEP-0012 §2). */
public record LastQuery(long seconds, String status) {
    public static final String NAMESPACE = "jabber:iq:last";
    public static final String ELEMENT = "query";

    /** Reads a query; 'seconds' is -1 when absent or not a number. */
    public static LastQuery from(Element e) {
        long seconds;
        try {
            seconds = e.attr("seconds") == null ? -1 : Long.parseLong(e.attr("seconds"));
        } catch (NumberFormatException ex) {
            seconds = -1;
        }
        String text = e.text();
        return new LastQuery(seconds, text.isEmpty() ? null : text);
    }

    public Element toElement() {
        return Element.builder(ELEMENT, NAMESPACE)
                .attr("seconds", Long.toString(Math.max(0, seconds)))
                .text(status)
                .build();
    }
}
