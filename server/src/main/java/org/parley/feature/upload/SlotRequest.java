package org.parley.feature.upload;

import org.parley.xml.Element;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/**
 * XEP-0363 §4: {@code <request filename='…' size='…' content-type='…'/>}, a client asking for a slot.
 *
 * @param contentType null when the client gave none
 */
public record SlotRequest(String filename, long size, String contentType) {
    public static final String NAMESPACE = "urn:xmpp:http:upload:0";
    public static final String ELEMENT = "request";
    private static final int MAX_NAME = 255;

    /** Reads a request; a missing or bad name or size is {@code bad-request}. */
    public static SlotRequest from(Element e) {
        String name = e.attr("filename");
        String sizeText = e.attr("size");
        if (name == null || name.isBlank() || name.length() > MAX_NAME || name.indexOf('/') >= 0
                || name.indexOf('\\') >= 0 || name.equals(".") || name.equals("..") || name.chars().anyMatch(ch -> ch < 0x20)) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "a file name without slashes or control characters,"
                    + " at most " + MAX_NAME + " characters, is required");
        }
        long size;
        try {
            size = Long.parseLong(sizeText == null ? "" : sizeText.trim());
        } catch (NumberFormatException x) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "the size in bytes is required");
        }
        if (size <= 0) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "the size must be positive");
        }
        String type = e.attr("content-type");
        if (type != null && (type.isBlank() || type.length() > 255 || type.chars().anyMatch(ch -> ch < 0x20 || ch > 0x7e))) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "not a content type: " + type);
        }
        return new SlotRequest(name, size, type == null ? null : type.trim());
    }

    public Element toElement() {
        Element.Builder b = Element.builder(ELEMENT, NAMESPACE).attr("filename", filename).attr("size", Long.toString(size));
        if (contentType != null) {
            b.attr("content-type", contentType);
        }
        return b.build();
    }

    /** XEP-0363 §4: the slot's URLs. */
    public static Element slot(String putUrl, String getUrl) {
        return Element.builder("slot", NAMESPACE)
                .child(Element.builder("put", NAMESPACE).attr("url", putUrl).build())
                .child(Element.builder("get", NAMESPACE).attr("url", getUrl).build())
                .build();
    }

    /** XEP-0363 §5: the application condition of a request over the size limit. */
    public static Element fileTooLarge(long maxFileSize) {
        return Element.builder("file-too-large", NAMESPACE)
                .textChild("max-file-size", NAMESPACE, Long.toString(maxFileSize)).build();
    }
}
