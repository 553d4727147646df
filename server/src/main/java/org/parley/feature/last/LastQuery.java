package org.parley.feature.last;

import org.parley.xml.Element;

/** The {@code <query xmlns='jabber:iq:last' seconds='...'>status</query>} element (XEP-0012 §2). */
public record LastQuery(long seconds, String status) {
    public static final String NAMESPACE = "jabber:iq:last";
    public static final String ELEMENT = "query";

    public static LastQuery from(Element e) {
        String seconds = e.attr("seconds");
        String text = e.text();
        return new LastQuery(seconds == null ? -1 : Long.parseLong(seconds), text.isEmpty() ? null : text);
    }

    public Element toElement() {
        return Element.builder(ELEMENT, NAMESPACE)
                .attr("seconds", Long.toString(Math.max(0, seconds)))
                .text(status)
                .build();
    }
}
