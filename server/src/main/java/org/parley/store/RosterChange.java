package org.parley.store;

import java.util.Objects;

/**
 * One change of a roster since some version (RFC 6121 §2.6): an item as it is now, or the
 * removal of a contact.
 *
 * @param version the roster version this change produced
 * @param jid     the contact's bare JID
 * @param item    the item after the change, or null when the contact was removed
 */
public record RosterChange(long version, String jid, RosterItem item) {

    public RosterChange {
        Objects.requireNonNull(jid, "jid");
    }

    public boolean isRemoval() {
        return item == null;
    }
}
