package org.parley.session;

import java.time.Instant;
import java.util.List;
import org.parley.xml.Element;

/**
 * A feature's view of one client stream's stanza traffic, attached with
 * {@link ClientStream#observe}: counts both ways, outbound stanzas in wire order, and a say in
 * what happens when the connection drops.
 */
public interface StreamObserver {

    /**
     * A stanza from the client has been handled: routed, stored or answered. Called in input order
     * on the session's mailbox, after the routing of that stanza returned.
     */
    default void received() {
    }

    /**
     * A stanza for the client, in the order it goes on the wire, seen before it is written (so the
     * client cannot answer for it before this ran). Also called when it cannot be written (the
     * connection is gone), so nothing passes unseen. Called under the stream's output lock: keep it
     * short and do not block.
     *
     * @return an element to write right after the stanza (such as an ack request), or null
     */
    default Element sent(Element stanza) {
        return null;
    }

    /**
     * The connection dropped while the session was bound and the stream was not closed. A time
     * keeps the session bound and detached ({@link Session#isDetached()}) until {@link Session#close}
     * ends it, which the observer promises to do by then ({@link Session#detachedUntil()}), or a new
     * connection takes it over ({@link ClientStream#moveTo}); null, the default, ends it now.
     */
    default Instant keepDetached() {
        return null;
    }

    /**
     * The stanzas written to the client that it has not confirmed, oldest first; asked once the
     * session is detached, for {@link SessionListener#detached}.
     */
    default List<Element> unacknowledged() {
        return List.of();
    }

    /**
     * This cluster node stops cleanly and another node may continue the session: the observer
     * records what that node needs for the client to resume it there, stops handling the session's
     * stanzas here (whoever resumes it has them) and returns until when the client may resume it;
     * null, the default, when the session is not resumable and ends here as usual. Called on the
     * session's mailbox after the input it took; the stream ends right after.
     */
    default Instant handOver() {
        return null;
    }

    /**
     * Where the stanza just seen by {@link #sent} is being recorded (a cluster node keeps a
     * resumable session's stanzas where another node finds them), or null: the stanza, and what
     * follows it, reaches the client only once that completes, so the client never acknowledges
     * one the record lacks. Called right after {@link #sent}, under the same lock.
     */
    default java.util.concurrent.CompletionStage<?> recorded() {
        return null;
    }
}
