package org.parley.feature.adhoc;

import org.parley.xmpp.Jid;
import org.parley.xmpp.StanzaErrorException;
import org.parley.xmpp.forms.DataForm;

/**
 * One ad-hoc command: a form to fill (or none), then the work. A command that throws
 * {@link StanzaErrorException} answers with that error.
 */
public interface Command {

    /** The command's node, e.g. {@code http://jabber.org/protocol/admin#add-user}. */
    String node();

    /** The name disco shows. */
    String name();

    /** Whether {@code requester} (a full JID) may see and run the command. */
    boolean allowed(Jid requester);

    /** The form the requester fills in, or null when the command needs none and completes at once. */
    DataForm form(Jid requester);

    /** Runs the command with what was submitted (null for a command without a form). */
    Outcome complete(Jid requester, DataForm submitted);

    /**
     * What a completed command tells the requester.
     *
     * @param result a form of type result, or null
     * @param note   an informational note, or null
     */
    record Outcome(DataForm result, String note) {
        public static Outcome done(String note) {
            return new Outcome(null, note);
        }

        public static Outcome result(DataForm result) {
            return new Outcome(result, null);
        }
    }
}
