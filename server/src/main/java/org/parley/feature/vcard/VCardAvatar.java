package org.parley.feature.vcard;

import java.util.List;
import org.parley.module.ModuleContext;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.forms.DataForm;
import org.parley.xmpp.forms.Field;

/**
 * XEP-0398 §3.2, from vCard to PEP: a vCard stored with a photo becomes the user's XEP-0084
 * avatar (the image in {@code urn:xmpp:avatar:data} under its SHA-1, then one {@code <info/>} in
 * {@code urn:xmpp:avatar:metadata}), and a vCard without one disables it (XEP-0084 §4.6: an empty
 * metadata item). The publishes go through whichever module serves pubsub on accounts, as if the
 * user had sent them, so its limits apply and contacts are notified (§3.2: SHOULD).
 *
 * <p>Nothing is published when the avatar is already the vCard's photo. That keeps a legacy
 * client that re-saves its vCard (to change a nickname, or at every login) from re-notifying
 * contacts, and is what ends the round trip when the avatar came from PEP in the first place.
 */
final class VCardAvatar {
    private static final String DATA = Namespaces.AVATAR_DATA;
    private static final String METADATA = Namespaces.AVATAR_METADATA;
    private static final String PUBSUB = Namespaces.PUBSUB;

    private final ModuleContext ctx;

    VCardAvatar(ModuleContext ctx) {
        this.ctx = ctx;
    }

    /** Makes {@code photo} (null: none) the avatar of {@code user}'s account; PEP's refusals are thrown. */
    void sync(Jid user, VCardPhoto photo) {
        String current;
        try {
            current = currentId(user);
        } catch (StanzaErrorException e) {
            if (e.error().condition() == Condition.SERVICE_UNAVAILABLE) {
                return; // no personal eventing on this server: the vCard is all there is
            }
            throw e;
        }
        if (photo == null) {
            if (current != null && !current.isEmpty()) {
                publish(user, METADATA, null, Element.empty("metadata", METADATA));
            }
            return;
        }
        if (photo.id().equals(current)) {
            return;
        }
        // XEP-0084 §4.1: the data first, so the metadata never names an image that is not there.
        publish(user, DATA, photo.id(), Element.builder("data", DATA).text(photo.base64()).build());
        Element.Builder info = Element.builder("info", METADATA)
                .attr("bytes", Integer.toString(photo.bytes()))
                .attr("id", photo.id())
                .attr("type", photo.type());
        if (photo.size().known()) {
            info.attr("width", Integer.toString(photo.size().width()))
                    .attr("height", Integer.toString(photo.size().height()));
        }
        publish(user, METADATA, photo.id(), Element.builder("metadata", METADATA).child(info.build()).build());
    }

    /** The id of the current avatar, "" when it is disabled, null when the account never had one. */
    private String currentId(Jid user) {
        Element result;
        try {
            result = ctx.onBehalfOf(user, false, pubsub(Element.builder("items", PUBSUB)
                    .attr("node", METADATA).attr("max_items", "1").build()));
        } catch (StanzaErrorException e) {
            if (e.error().condition() == Condition.ITEM_NOT_FOUND) {
                return null;
            }
            throw e;
        }
        Element items = result == null ? null : result.element("items", PUBSUB);
        List<Element> found = items == null ? List.of() : items.elements("item", PUBSUB);
        if (found.isEmpty()) {
            return null;
        }
        Element metadata = found.get(found.size() - 1).element("metadata", METADATA);
        if (metadata == null) {
            return "";
        }
        for (Element i : metadata.elements("info", METADATA)) {
            if (i.attr("url") == null && i.attr("id") != null) {
                return i.attr("id");
            }
        }
        return "";
    }

    /**
     * Publishes one item. A node this creates is open to everyone, as the vCard it comes from is
     * (XEP-0398 §6; Prosody does the same); a node that exists keeps the access model its owner
     * chose, so when it does not match, the item goes in without the publish-options.
     */
    private void publish(Jid user, String node, String id, Element payload) {
        Element.Builder item = Element.builder("item", PUBSUB).attr("id", id).child(payload);
        Element publish = Element.builder("publish", PUBSUB).attr("node", node).child(item.build()).build();
        try {
            ctx.onBehalfOf(user, true, pubsub(publish, openAccess()));
        } catch (StanzaErrorException e) {
            if (e.error().condition() != Condition.CONFLICT) {
                throw e;
            }
            ctx.onBehalfOf(user, true, pubsub(publish));
        }
    }

    private static Element openAccess() {
        DataForm form = DataForm.of(DataForm.Type.SUBMIT, PUBSUB + "#publish-options",
                Field.of("pubsub#access_model", "open"));
        return Element.builder("publish-options", PUBSUB).child(form.toElement()).build();
    }

    private static Element pubsub(Element... children) {
        Element.Builder b = Element.builder("pubsub", PUBSUB);
        for (Element c : children) {
            b.child(c);
        }
        return b.build();
    }
}
