package org.parley.xmpp.rsm;

import org.parley.xml.Element;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/**
 * A {@code <set xmlns='http://jabber.org/protocol/rsm'/>} (XEP-0059): in a request, the page
 * wanted ({@code max}, and {@code after}, {@code before} or {@code index}); in a response, the page
 * returned ({@code first} with its index, {@code last}, {@code count}). Absent parts are null.
 * UIDs are opaque (§2.2) and kept as given.
 *
 * @param before     "" for an empty {@code <before/>}, which asks for the last page (§2.5)
 * @param firstIndex the 'index' attribute of {@code <first/>}
 */
public record RsmSet(Integer max, String after, String before, Integer index, String first, Integer firstIndex,
                        String last, Long count) {
    public static final String NAMESPACE = "http://jabber.org/protocol/rsm";
    public static final String ELEMENT = "set";

    /** A request for at most {@code max} items after the item {@code after} (null: from the start). */
    public static RsmSet after(int max, String after) {
        return new RsmSet(max, after, null, null, null, null, null, null);
    }

    /** A request for at most {@code max} items before the item {@code before} ("": the last page). */
    public static RsmSet before(int max, String before) {
        return new RsmSet(max, null, before, null, null, null, null, null);
    }

    /**
     * The description of a returned page (§2.2): its first and last UIDs, both null for an empty
     * page, and the size of the whole result set, null to leave it out ("exceptionally resource
     * intensive" to compute).
     */
    public static RsmSet page(String first, String last, Long count) {
        if ((first == null) != (last == null)) {
            throw new IllegalArgumentException("a page has both a first and a last item, or neither");
        }
        return new RsmSet(null, null, null, null, first, null, last, count);
    }

    /** Parses a {@code <set/>}; numbers that are not non-negative integers are a {@code bad-request}. */
    public static RsmSet from(Element set) {
        if (!set.is(ELEMENT, NAMESPACE)) {
            throw bad("not a result set");
        }
        Element first = set.element("first", NAMESPACE);
        return new RsmSet(
                number(set.childText("max", NAMESPACE), "max"),
                set.childText("after", NAMESPACE),
                set.childText("before", NAMESPACE),
                number(set.childText("index", NAMESPACE), "index"),
                first == null ? null : first.text(),
                first == null ? null : number(first.attr("index"), "first index"),
                set.childText("last", NAMESPACE),
                count(set.childText("count", NAMESPACE)));
    }

    /** The result set management request inside {@code query}, or null when it has none. */
    public static RsmSet in(Element query) {
        Element set = query.element(ELEMENT, NAMESPACE);
        return set == null ? null : from(set);
    }

    public Element toElement() {
        Element.Builder b = Element.builder(ELEMENT, NAMESPACE)
                .textChild("max", NAMESPACE, max == null ? null : max.toString())
                .textChild("after", NAMESPACE, after)
                .textChild("before", NAMESPACE, before)
                .textChild("index", NAMESPACE, index == null ? null : index.toString());
        if (first != null) {
            b.child(Element.builder("first", NAMESPACE)
                    .attr("index", firstIndex == null ? null : firstIndex.toString()).text(first).build());
        }
        return b.textChild("last", NAMESPACE, last)
                .textChild("count", NAMESPACE, count == null ? null : count.toString())
                .build();
    }

    private static Integer number(String text, String what) {
        if (text == null) {
            return null;
        }
        int n;
        try {
            n = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw bad("RSM " + what + " must be a number");
        }
        if (n < 0) {
            throw bad("RSM " + what + " must not be negative");
        }
        return n;
    }

    private static Long count(String text) {
        if (text == null) {
            return null;
        }
        try {
            long n = Long.parseLong(text.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw bad("RSM count must be a non-negative number");
    }

    private static StanzaErrorException bad(String text) {
        return new StanzaErrorException(Condition.BAD_REQUEST, text);
    }
}
