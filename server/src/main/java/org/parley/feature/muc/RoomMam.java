package org.parley.feature.muc;

import java.util.function.UnaryOperator;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/**
 * Who may read a room's archive (XEP-0313 §5.1.2: as the room's own rules say who may read it
 * live), and what of each message they see. An outcast may not; in a members-only room only
 * members, admins and owners may; in a password-protected room only those and the room's
 * occupants (who gave the password). Real JIDs are shown as in the room: to everyone in a
 * non-anonymous room, else only to those who would be moderators (admins, owners) or are.
 */
final class RoomMam {

    private RoomMam() {
    }

    /** Checks that {@code requester} may read the archive; returns what they may see of a message. */
    static UnaryOperator<Element> access(Room room, Jid requester) {
        Affiliation affiliation = room.affiliations().of(requester);
        Occupant occupant = room.occupants().bySession(requester);
        if (affiliation == Affiliation.OUTCAST) {
            throw new StanzaErrorException(Condition.FORBIDDEN, "banned from this room");
        }
        boolean member = affiliation.atLeast(Affiliation.MEMBER);
        if (room.config().membersOnly() && !member) {
            throw new StanzaErrorException(Condition.FORBIDDEN, "the archive of a members-only room is for its members");
        }
        if (room.config().passwordProtected() && !member && occupant == null) {
            throw new StanzaErrorException(Condition.FORBIDDEN, "enter the room to read its archive");
        }
        boolean seesJids = room.config().nonAnonymous() || affiliation.atLeast(Affiliation.ADMIN)
                || (occupant != null && occupant.role() == Role.MODERATOR);
        return seesJids ? UnaryOperator.identity() : RealJids::strip;
    }
}
