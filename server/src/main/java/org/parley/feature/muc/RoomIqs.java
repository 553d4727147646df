package org.parley.feature.muc;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.parley.route.IqHandler;
import org.parley.route.IqRequest;
import org.parley.route.IqTracker;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;
import org.parley.xmpp.Namespaces;
import org.parley.xmpp.Stanza;
import org.parley.xmpp.StanzaError;
import org.parley.xmpp.StanzaError.Condition;
import org.parley.xmpp.StanzaErrorException;

/**
 * IQ requests to an occupant's room JID (XEP-0045): the room passes them on without revealing
 * who is behind a nickname. An occupant's request goes to one session of the
 * addressee (its latest; a {@code vcard-temp} request to the addressee's bare JID, where its
 * server answers), from the sender's room JID and with an id the server's {@link IqTracker}
 * waits for; the answer comes back to the session that asked, from the addressee's room JID and
 * with the request's own id. Only occupants send IQs through a room ({@code not-acceptable}; a disco
 * query, §6.7, {@code bad-request}), to
 * nicknames present ({@code item-not-found}); an addressee that does not answer in time is
 * {@code remote-server-timeout}.
 */
final class RoomIqs {
    private final IqTracker tracker;
    private final Consumer<Stanza> out;
    private final Duration timeout;

    RoomIqs(IqTracker tracker, Consumer<Stanza> out, Duration timeout) {
        this.tracker = tracker;
        this.out = out;
        this.timeout = timeout;
    }

    /** Passes {@code r}, addressed to an occupant of {@code room}, on; the answer is sent when it comes. */
    Element forward(Room room, IqRequest r) {
        Occupant sender = room.occupants().bySession(r.from());
        if (sender == null) {
            // §6.7: a non-occupant's disco query to an occupant is bad-request; other IQs are refused as
            // private messages from non-occupants are.
            String ns = r.payload().namespace();
            boolean disco = Namespaces.DISCO_INFO.equals(ns) || Namespaces.DISCO_ITEMS.equals(ns);
            throw new StanzaErrorException(disco ? Condition.BAD_REQUEST : Condition.NOT_ACCEPTABLE,
                    "only occupants send IQs through the room");
        }
        Occupant target = room.occupants().byNick(r.target().resource());
        if (target == null) {
            throw new StanzaErrorException(Condition.ITEM_NOT_FOUND, "no occupant has that nickname");
        }
        boolean vcard = Namespaces.VCARD.equals(r.payload().namespace());
        Jid to = vcard ? target.user() : target.latest();
        Jid from = room.jid().withResource(sender.nick());
        Jid answerFrom = room.jid().withResource(target.nick());
        Stanza request = r.stanza();
        String id = tracker.nextId();
        tracker.expect(id, to, timeout).whenComplete((answer, failure) -> {
            Element reply;
            if (answer != null) {
                reply = answer.element().withAttr("from", answerFrom.toString()).withAttr("to", r.from().toString())
                        .withAttr("id", request.id());
            } else {
                Condition c = failure instanceof TimeoutException ? Condition.REMOTE_SERVER_TIMEOUT
                        : Condition.INTERNAL_SERVER_ERROR;
                reply = request.errorReply(StanzaError.of(c), answerFrom).element();
            }
            out.accept(Stanza.of(reply));
        });
        out.accept(Stanza.of(request.element().withAttr("from", from.toString()).withAttr("to", to.toString())
                .withAttr("id", id)));
        return IqHandler.ANSWERED;
    }
}
