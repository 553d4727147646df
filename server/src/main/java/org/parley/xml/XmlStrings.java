package org.parley.xml;

import com.fasterxml.aalto.stax.InputFactoryImpl;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.Deque;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Parses one XML document held as a string (a stanza kept in storage, a vCard) into an
 * {@link Element}. Stored XML was written by this server, so this is not on the hot path; the
 * network path parses bytes once in {@link XmlStreamDecoder}.
 */
public final class XmlStrings {
    private static final XMLInputFactory FACTORY = newFactory();

    private XmlStrings() {
    }

    private static XMLInputFactory newFactory() {
        XMLInputFactory f = new InputFactoryImpl();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        f.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        return f;
    }

    /** Parses the document's root element; throws {@link IllegalArgumentException} when it is not well-formed. */
    public static Element parse(String xml) {
        XMLStreamReader r = null;
        try {
            r = FACTORY.createXMLStreamReader(new StringReader(xml));
            Deque<Element.Builder> stack = new ArrayDeque<>();
            Element root = null;
            while (r.hasNext()) {
                int event = r.next();
                switch (event) {
                    case XMLStreamConstants.START_ELEMENT -> {
                        Element.Builder b = Element.builder(r.getLocalName(),
                                r.getNamespaceURI() == null ? "" : r.getNamespaceURI());
                        for (int i = 0; i < r.getAttributeCount(); i++) {
                            String prefix = r.getAttributePrefix(i);
                            String name = prefix == null || prefix.isEmpty()
                                    ? r.getAttributeLocalName(i) : prefix + ":" + r.getAttributeLocalName(i);
                            b.attr(name, r.getAttributeValue(i));
                        }
                        stack.push(b);
                    }
                    case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                        if (!stack.isEmpty()) {
                            stack.peek().text(r.getText());
                        }
                    }
                    case XMLStreamConstants.END_ELEMENT -> {
                        Element done = stack.pop().build();
                        if (stack.isEmpty()) {
                            root = done;
                        } else {
                            stack.peek().child(done);
                        }
                    }
                    default -> {
                    }
                }
            }
            if (root == null) {
                throw new IllegalArgumentException("no element in document");
            }
            return root;
        } catch (XMLStreamException e) {
            throw new IllegalArgumentException("not well-formed XML: " + e.getMessage(), e);
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // nothing to release
                }
            }
        }
    }
}
