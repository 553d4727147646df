package org.parley.xml;

import java.util.ArrayList;
import javax.xml.stream.XMLStreamReader;

/**
 * Turns the parser's element and text events below the stream root into immutable
 * {@link Element}s. One per connection, reused for every stanza.
 *
 * <p>Only the innermost open element can be receiving text, so a single pending run is enough:
 * it is flushed into that element when a child starts or the element ends. The parser may
 * split one run into several events (at input boundaries, around CDATA or entity references);
 * the common single-event run is kept as the parser's own String, with no extra copy.
 */
final class ElementAssembler {
    private static final int MAX_RETAINED_TEXT_CAPACITY = 16 * 1024;

    private final ArrayList<Element.Builder> open = new ArrayList<>(16);
    private String pendingText;
    private StringBuilder mergedText = new StringBuilder();

    /** How many elements are open: 1 while inside a first-level element's own content. */
    int depth() {
        return open.size();
    }

    void start(XMLStreamReader reader) {
        flushText();
        Element.Builder builder = Element.builder(reader.getLocalName(), nonNull(reader.getNamespaceURI()));
        String[] declared = null;
        int declaredCount = 0;
        for (int i = 0, n = reader.getAttributeCount(); i < n; i++) {
            String prefix = reader.getAttributePrefix(i);
            String local = reader.getAttributeLocalName(i);
            String value = reader.getAttributeValue(i);
            if (prefix == null || prefix.isEmpty()) {
                builder.attr(local, value);
            } else if ("xml".equals(prefix)) {
                builder.attr("lang".equals(local) ? StreamHeader.LANG : "xml:" + local, value);
            } else {
                builder.attr(prefix + ':' + local, value);
                // The element itself is serialised without prefixes, so a prefixed attribute
                // needs its own declaration to survive re-serialisation out of context.
                if (declared == null) {
                    declared = new String[n * 2];
                }
                if (!contains(declared, declaredCount, prefix)) {
                    declared[declaredCount++] = prefix;
                    declared[declaredCount++] = nonNull(reader.getAttributeNamespace(i));
                }
            }
        }
        for (int i = 0; i < declaredCount; i += 2) {
            builder.attr("xmlns:" + declared[i], declared[i + 1]);
        }
        open.add(builder);
    }

    void text(XMLStreamReader reader) {
        if (pendingText == null && mergedText.isEmpty()) {
            pendingText = reader.getText();
            return;
        }
        if (pendingText != null) {
            mergedText.append(pendingText);
            pendingText = null;
        }
        mergedText.append(reader.getTextCharacters(), reader.getTextStart(), reader.getTextLength());
    }

    /** Closes the innermost element; returns it (already attached to its parent, if any). */
    Element end() {
        flushText();
        Element element = open.remove(open.size() - 1).build();
        if (!open.isEmpty()) {
            open.get(open.size() - 1).child(element);
        }
        return element;
    }

    void reset() {
        open.clear();
        pendingText = null;
        clearMerged();
    }

    private void flushText() {
        if (open.isEmpty()) {
            pendingText = null;
            clearMerged();
            return;
        }
        Element.Builder current = open.get(open.size() - 1);
        if (pendingText != null) {
            current.text(pendingText);
            pendingText = null;
        } else if (!mergedText.isEmpty()) {
            current.text(mergedText.toString());
            clearMerged();
        }
    }

    private void clearMerged() {
        if (mergedText.capacity() > MAX_RETAINED_TEXT_CAPACITY) {
            mergedText = new StringBuilder();
        } else {
            mergedText.setLength(0);
        }
    }

    private static boolean contains(String[] pairs, int count, String prefix) {
        for (int i = 0; i < count; i += 2) {
            if (pairs[i].equals(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
