package org.parley.cluster;

import java.util.ArrayList;
import java.util.List;
import org.parley.xml.SharedEncoding;
import org.parley.xmpp.Stanza;

/**
 * A frame waiting in an outbox with the stanza it carries (handed back should its node be
 * gone). Copies of one {@link SharedEncoding} to consecutive sessions of one node are merged
 * into one {@link BusFrame.Kind#MULTICAST} frame, the stanza's XML written once for all.
 */
final class OutgoingFrame {
    private final BusFrame frame;
    private final Stanza stanza;
    /** For a copy of a shared encoding: the encoding, and every copy merged into this frame. */
    private final SharedEncoding shared;
    private List<Stanza> copies;

    OutgoingFrame(BusFrame frame, Stanza stanza) {
        this(frame, stanza, null);
    }

    OutgoingFrame(BusFrame frame, Stanza stanza, SharedEncoding shared) {
        this.frame = frame;
        this.stanza = stanza;
        this.shared = shared;
    }

    BusFrame frame() {
        if (copies == null) {
            return frame != null ? frame : new BusFrame(BusFrame.Kind.DELIVER, stanza.to().toString(),
                    stanza.element().toXml());
        }
        StringBuilder jids = new StringBuilder(copies.size() * 40);
        for (Stanza c : copies) {
            jids.append(c.to()).append('\n');
        }
        return new BusFrame(BusFrame.Kind.MULTICAST, jids.toString(), shared.template().toXml());
    }

    Stanza stanza() {
        return stanza;
    }

    boolean isEntity() {
        return frame != null && frame.isEntity();
    }

    /** The frame of a stanza for an entity ({@link #isEntity}). */
    BusFrame entityFrame() {
        return frame;
    }

    /** The stanzas this frame carries, to hand back when it reaches nobody. */
    List<Stanza> stanzas() {
        return copies != null ? copies : stanza == null ? List.of() : List.of(stanza);
    }

    /** Takes {@code next} into this frame when both are copies of one encoding; whether it did. */
    boolean merge(OutgoingFrame next) {
        if (shared == null || next.shared != shared) {
            return false;
        }
        if (copies == null) {
            copies = new ArrayList<>();
            copies.add(stanza);
        }
        copies.add(next.stanza);
        return true;
    }
}
