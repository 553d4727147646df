package org.parley.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * One unit on the node bus: a stanza for a session of the receiving node, one stanza for several
 * of its sessions, a request to close one, or a stanza for an entity the receiving node owns. Frames to the same node are sent in
 * batches: each frame is its kind letter, then the target and the payload, each as
 * {@code <length>:<text>}, so no escaping is needed.
 *
 * @param jid     the full JID of the session; for {@link Kind#MULTICAST} the sessions' full JIDs,
 *                each followed by a newline; for the entity kinds the entity's kind, a newline
 *                and its name (see {@link RedisOwnership})
 * @param payload the stanza XML for {@link Kind#DELIVER} and the entity kinds, without 'to' for
 *                {@link Kind#MULTICAST} (each session gets it addressed to itself); for
 *     {@link Kind#CLOSE} the session id, a newline and the stream error condition's enum name
 */
record BusFrame(Kind kind, String jid, String payload) {

    enum Kind {
        /** A stanza for a session. */
        DELIVER('D'),
        /**
         * One stanza for several sessions (a group chat message's fan-out): sent once per node,
         * not once per recipient.
         */
        MULTICAST('M'),
        /** Close a session. */
        CLOSE('C'),
        /** A stanza for an entity, sent to the node the sender believes owns it. */
        ENTITY('E'),
        /** The same, passed on by a node that found it was not the owner: not passed on again. */
        ENTITY_PASSED_ON('P');

        private final char letter;

        Kind(char letter) {
            this.letter = letter;
        }

        static Kind of(char c) {
            for (Kind k : values()) {
                if (k.letter == c) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown frame kind " + c);
        }
    }

    static String encode(List<BusFrame> frames) {
        StringBuilder sb = new StringBuilder(256 * frames.size());
        for (BusFrame f : frames) {
            sb.append(f.kind.letter);
            field(sb, f.jid);
            field(sb, f.payload);
        }
        return sb.toString();
    }

    private static void field(StringBuilder sb, String text) {
        sb.append(text.length()).append(':').append(text);
    }

    /** Whether this is a stanza for an entity rather than for a session. */
    boolean isEntity() {
        return kind == Kind.ENTITY || kind == Kind.ENTITY_PASSED_ON;
    }

    /** Throws {@link IllegalArgumentException} for a malformed batch. */
    static List<BusFrame> decode(String batch) {
        List<BusFrame> out = new ArrayList<>();
        int[] pos = {0};
        try {
            while (pos[0] < batch.length()) {
                Kind kind = Kind.of(batch.charAt(pos[0]++));
                String jid = field(batch, pos);
                out.add(new BusFrame(kind, jid, field(batch, pos)));
            }
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            throw new IllegalArgumentException("malformed bus batch at " + pos[0], e);
        }
        return out;
    }

    private static String field(String s, int[] pos) {
        int colon = s.indexOf(':', pos[0]);
        int length = Integer.parseInt(s, pos[0], colon, 10);
        String text = s.substring(colon + 1, colon + 1 + length);
        pos[0] = colon + 1 + length;
        return text;
    }
}
