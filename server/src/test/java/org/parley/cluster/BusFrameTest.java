package org.parley.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.xmpp.Stanza;

class BusFrameTest {

    @Test
    void aBatchRoundTripsWhateverTheTextHolds() {
        List<BusFrame> frames = List.of(
                new BusFrame(BusFrame.Kind.DELIVER, "bob@localhost/a:b|12:c\n", "<message xmlns=\"jabber:client\"><body>3:x</body></message>"),
                new BusFrame(BusFrame.Kind.CLOSE, "bob@localhost/été", "sid-1\nCONFLICT"),
                new BusFrame(BusFrame.Kind.MULTICAST, "a@b/c\nd@b/e\n", "<message xmlns=\"jabber:client\"><body>hi</body></message>"),
                new BusFrame(BusFrame.Kind.DELIVER, "x@y/z", ""));
        assertThat(BusFrame.decode(BusFrame.encode(frames))).isEqualTo(frames);
    }

    @Test
    void aTruncatedBatchIsRejected() {
        String batch = BusFrame.encode(List.of(new BusFrame(BusFrame.Kind.DELIVER, "a@b/c", "<presence/>")));
        assertThatThrownBy(() -> BusFrame.decode(batch.substring(0, batch.length() - 2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BusFrame.decode("X3:a@b0:")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aDirectoryEntryKeepsNodeSessionAndPresence() {
        Stanza presence = Stanza.of(org.parley.xml.XmlStrings.parse(
                "<presence xmlns=\"jabber:client\" from=\"a@b/c\"><priority>5</priority></presence>"));
        DirectoryEntry e = DirectoryEntry.parse(DirectoryEntry.of("node-1", "s1", presence).encode());
        assertThat(e.node()).isEqualTo("node-1");
        assertThat(e.sid()).isEqualTo("s1");
        assertThat(e.presence().element()).isEqualTo(presence.element());
        assertThat(DirectoryEntry.parse(DirectoryEntry.of("n", "s", null).encode()).presence()).isNull();
        assertThat(e.encode()).startsWith(DirectoryEntry.owner("node-1", "s1"));
    }
}
