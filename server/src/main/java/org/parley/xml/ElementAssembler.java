package org.parley.xml;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

    private final ArrayList<Frame> open = new ArrayList<>(16);

    /** An open element: attributes sized exactly from the start tag, children only once one arrives. */
    private static final class Frame {
        final String name;
        final String namespace;
        final String[] attrs;
        ArrayList<Node> children;

        Frame(String name, String namespace, String[] attrs) {
            this.name = name;
            this.namespace = namespace;
            this.attrs = attrs;
        }

        void child(Node n) {
            if (children == null) {
                children = new ArrayList<>(4);
            }
            children.add(n);
        }

        Element build() {
            List<Node> c = children == null ? List.of() : children.size() == 1 ? List.of(children.get(0)) : List.copyOf(children);
            return Element.parsed(name, namespace, attrs, c);
        }
    }
    private String pendingText;
    private StringBuilder mergedText = new StringBuilder();

    /** How many elements are open: 1 while inside a first-level element's own content. */
    int depth() {
        return open.size();
    }

    void start(XMLStreamReader reader) {
        flushText();
        int n = reader.getAttributeCount();
        String[] attrs = new String[n * 2];
        String[] declared = null;
        int declaredCount = 0;
        for (int i = 0; i < n; i++) {
            String prefix = reader.getAttributePrefix(i);
            String local = reader.getAttributeLocalName(i);
            attrs[2 * i + 1] = reader.getAttributeValue(i);
            if (prefix == null || prefix.isEmpty()) {
                attrs[2 * i] = local;
            } else if ("xml".equals(prefix)) {
                attrs[2 * i] = "lang".equals(local) ? StreamHeader.LANG : "xml:" + local;
            } else {
                attrs[2 * i] = prefix + ':' + local;
                if (declared == null) {
                    declared = new String[n * 2];
                }
                if (!contains(declared, declaredCount, prefix)) {
                    declared[declaredCount++] = prefix;
                    declared[declaredCount++] = nonNull(reader.getAttributeNamespace(i));
                }
            }
        }
        if (declaredCount > 0) {
            int base = attrs.length;
            attrs = Arrays.copyOf(attrs, base + declaredCount);
            for (int i = 0; i < declaredCount; i += 2) {
                attrs[base + i] = "xmlns:" + declared[i];
                attrs[base + i + 1] = declared[i + 1];
            }
        }
        open.add(new Frame(reader.getLocalName(), nonNull(reader.getNamespaceURI()), attrs));
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
        Frame current = open.get(open.size() - 1);
        if (pendingText != null) {
            if (!pendingText.isEmpty()) {
                current.child(new Text(pendingText));
            }
            pendingText = null;
        } else if (!mergedText.isEmpty()) {
            current.child(new Text(mergedText.toString()));
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
