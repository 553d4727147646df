package org.parley.feature.pep;

import java.util.Base64;
import java.util.List;
import org.parley.module.UserLocks;
import org.parley.store.VCardStore;
import org.parley.xml.Element;
import org.parley.xml.XmlStrings;
import org.parley.xmpp.Digests;
import org.parley.xmpp.Namespaces;

/**
 * XEP-0398 §3.1, from PEP to vCard: when the owner publishes XEP-0084 avatar metadata, the image
 * it names (the {@code <info/>} without a URL, looked up in {@code urn:xmpp:avatar:data} and
 * checked against its SHA-1) becomes the PHOTO of the owner's vCard; disabling the avatar removes
 * the PHOTO. The other fields of the vCard are kept. It writes the vCard store directly, not
 * through the vCard protocol, so nothing is converted back; and it leaves a vCard alone whose
 * photo already is that image, which is the case when the avatar came from the vCard.
 */
final class AvatarVCard {
    private static final String DATA = Namespaces.AVATAR_DATA;
    private static final String VCARD = Namespaces.VCARD;

    private final PubSubStore pubsub;
    private final VCardStore vcards;
    private final UserLocks locks;

    AvatarVCard(PubSubStore pubsub, VCardStore vcards, UserLocks locks) {
        this.pubsub = pubsub;
        this.vcards = vcards;
        this.locks = locks;
    }

    /** The owner published {@code metadata} to {@code urn:xmpp:avatar:metadata}. */
    void published(String owner, Element metadata) {
        Element photo = null;
        String id = "";
        Element info = dataInfo(metadata);
        if (info != null) {
            id = info.attr("id");
            List<PubSubStore.Item> data = pubsub.items(owner, DATA, List.of(id));
            if (data.isEmpty()) {
                return; // the image is not here (yet): nothing to put in the vCard
            }
            Element d = XmlStrings.parse(data.get(0).payload());
            String base64 = d.text().replaceAll("\\s+", "");
            if (!id.equalsIgnoreCase(sha1(base64))) {
                return; // §3.1: SHOULD verify; a mismatched id would make XEP-0153 clients fetch forever
            }
            photo = Element.builder("PHOTO", VCARD)
                    .textChild("TYPE", VCARD, info.attr("type"))
                    .textChild("BINVAL", VCARD, base64)
                    .build();
        } else if (metadata.element("info", AvatarPresence.METADATA) != null) {
            return; // only URLs: no bytes to store
        }
        String wanted = id.toLowerCase();
        Element newPhoto = photo;
        locks.withLock(owner, () -> {
            String xml = vcards.get(owner).orElse(null);
            if (xml == null && newPhoto == null) {
                return; // no vCard and no avatar: nothing to record
            }
            Element card = xml == null ? Element.empty("vCard", VCARD) : XmlStrings.parse(xml);
            if (wanted.equals(photoId(card))) {
                return;
            }
            Element updated = card.withoutChildren("PHOTO", VCARD);
            vcards.put(owner, (newPhoto == null ? updated : updated.withChild(newPhoto)).toXml());
        });
    }

    /** §3.1: the first {@code <info/>} that does not point to a URL, or null. */
    private static Element dataInfo(Element metadata) {
        if (!metadata.is("metadata", AvatarPresence.METADATA)) {
            return null;
        }
        for (Element i : metadata.elements("info", AvatarPresence.METADATA)) {
            if (i.attr("url") == null && i.attr("id") != null) {
                return i;
            }
        }
        return null;
    }

    /** The SHA-1 of the vCard's photo, "" when it has none (or one that is not base64). */
    private static String photoId(Element card) {
        Element photo = card.element("PHOTO", VCARD);
        String binval = photo == null ? null : photo.childText("BINVAL", VCARD);
        return binval == null ? "" : sha1(binval.replaceAll("\\s+", ""));
    }

    private static String sha1(String base64) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            return "";
        }
        if (bytes.length == 0) {
            return "";
        }
        return Digests.sha1Hex(bytes);
    }
}
