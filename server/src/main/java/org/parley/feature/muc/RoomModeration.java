package org.parley.feature.muc;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.parley.feature.mam.ServiceArchives;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/**
 * Moderated message retraction, XEP-0425 (version 0.3.0, {@code urn:xmpp:message-moderate:1})
 * with XEP-0424's retraction ({@code urn:xmpp:message-retract:1}): a moderator asks the room to
 * retract a message by the stanza-id the room gave it. The room puts a tombstone in its place, in
 * the archive and in the history ({@code <retracted>} with who moderated and why, the content
 * gone), and tells every occupant with a retraction from the room's own JID, which it archives
 * too so that clients catching up from the archive learn of it.
 */
final class RoomModeration {
    static final String MODERATE = "urn:xmpp:message-moderate:1";
    static final String RETRACT = "urn:xmpp:message-retract:1";
    static final String ELEMENT = "moderate";

    private RoomModeration() {
    }

    /** Handles {@code <moderate id=...>} from {@code from}, who must be a moderator of the room. */
    static void moderate(Room room, Jid from, Element moderate) {
        Occupant moderator = room.occupants().bySession(from);
        if (moderator == null || moderator.role() != Role.MODERATOR) {
            throw new StanzaErrorException(Condition.FORBIDDEN, "only moderators may retract others' messages");
        }
        String id = moderate.attr("id");
        if (id == null || id.isBlank() || moderate.element("retract", RETRACT) == null) {
            throw new StanzaErrorException(Condition.BAD_REQUEST, "a moderation names a stanza-id and asks to <retract/>");
        }
        Element original = room.archive().find(id)
                .orElseThrow(() -> new StanzaErrorException(Condition.ITEM_NOT_FOUND, "no message with that id"));
        if (original.element("retracted", RETRACT) != null || original.attr("from") == null
                || room.jid().toString().equals(original.attr("from"))) {
            throw new StanzaErrorException(Condition.ITEM_NOT_FOUND, "no occupant's message with that id");
        }
        String reason = moderate.childText("reason", MODERATE);
        Instant now = room.clock().instant();
        Element moderated = Element.builder("moderated", MODERATE)
                .attr("by", room.jid().withResource(moderator.nick()).toString()).build();
        room.archive().replace(id, tombstone(original, moderated, reason, now));
        Element notice = Element.builder("message", Namespaces.CLIENT).attr("from", room.jid().toString())
                .attr("type", "groupchat").attr("id", UUID.randomUUID().toString())
                .child(withReason(Element.builder("retract", RETRACT).attr("id", id).child(moderated), reason).build())
                .build();
        RoomArchive.Kept kept = room.archive().keep(notice, moderator.user(), now);
        if (kept.durable() != null) {
            // A retraction is rare: it waits for its commit under the lock, so a failure answers the moderator's IQ.
            try {
                kept.durable().join();
            } catch (CompletionException e) {
                room.archive().failed(kept.id());
                throw ServiceArchives.failure(e);
            }
        }
        RoomMessages.broadcast(room, kept.message());
    }

    /** The original's envelope (sender, type, id) around {@code <retracted/>}: nothing of its content. */
    private static Element tombstone(Element original, Element moderated, String reason, Instant at) {
        Element retracted = withReason(Element.builder("retracted", RETRACT).attr("stamp", at.toString())
                .child(moderated), reason).build();
        return Element.builder("message", Namespaces.CLIENT).attr("from", original.attr("from"))
                .attr("type", "groupchat").attr("id", original.attr("id")).child(retracted).build();
    }

    private static Element.Builder withReason(Element.Builder b, String reason) {
        return reason == null || reason.isBlank() ? b
                : b.child(Element.builder("reason", RETRACT).text(reason).build());
    }
}
