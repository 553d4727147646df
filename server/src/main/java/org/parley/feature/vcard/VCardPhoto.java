package org.parley.feature.vcard;

import java.util.Base64;
import org.parley.xml.Element;
import org.parley.xmpp.Digests;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/**
 * The image of a vCard's {@code <PHOTO/>} (XEP-0054 §5: TYPE and BINVAL) as XEP-0084 describes
 * an avatar: its SHA-1 id (XEP-0153 §4 and XEP-0084 §4.2 hash the same bytes), its size in bytes,
 * its content type and, when the header shows it, its pixel size.
 *
 * @param base64 the image in base64 without line breaks (XEP-0084 §4.1: SHOULD NOT be added)
 */
record VCardPhoto(String id, String base64, int bytes, String type, ImageSize size) {

    /**
     * The vCard's photo, or null when it has none with image data (no PHOTO, an empty BINVAL, or
     * only an EXTVAL link, whose bytes the server does not have). A BINVAL that is not base64 is
     * refused: it can be neither hashed nor shown.
     */
    static VCardPhoto of(Element vcard) {
        Element photo = vcard.element("PHOTO", VCardModule.NAMESPACE);
        String binval = photo == null ? null : photo.childText("BINVAL", VCardModule.NAMESPACE);
        if (binval == null) {
            return null;
        }
        // XEP-0054 takes BINVAL from vCard 3 (RFC 2426), whose base64 may be folded into lines.
        String base64 = binval.replaceAll("\\s+", "");
        byte[] image;
        try {
            image = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "the PHOTO's BINVAL is not base64");
        }
        if (image.length == 0) {
            return null;
        }
        ImageSize size = ImageSize.of(image);
        String type = photo.childText("TYPE", VCardModule.NAMESPACE);
        if (type == null || type.isBlank()) {
            // XEP-0084 requires a type; PNG is the one every client must support (§4.2.1).
            type = size.type() == null ? "image/png" : size.type();
        }
        return new VCardPhoto(Digests.sha1Hex(image), base64, image.length, type.strip(), size);
    }

}
