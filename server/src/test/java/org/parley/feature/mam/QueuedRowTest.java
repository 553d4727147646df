package org.parley.feature.mam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class QueuedRowTest {
    @Test
    void aQueuedRowGivesBackTheRecordItWasMadeOfWithItsNullsAndNonAsciiText() {
        ArchiveRecord sent = new ArchiveRecord(42L, "alice", null, "alice@example.org", "phone",
                "bob@example.net", null, "Grüße 👋 \u0000", "<message><body>Grüße 👋</body></message>");
        ArchiveRecord empty = new ArchiveRecord(7L, null, "bob", "", null, "bob@example.net", "", null, "");

        assertThat(QueuedRow.of(sent).record()).isEqualTo(sent);
        assertThat(QueuedRow.of(empty).record()).isEqualTo(empty);
        assertThat(QueuedRow.of(sent).id()).isEqualTo(42L);
    }

    @Test
    void aRowGivesItsAddressesAloneAndEachTextAsUtf8() {
        ArchiveRecord sent = new ArchiveRecord(42L, "alice", null, "alice@example.org", "phone",
                "bob@example.net", null, "Grüße 👋", "<message><body>Grüße 👋</body></message>");
        QueuedRow row = QueuedRow.of(sent);

        assertThat(row.addresses()).isEqualTo(new ArchiveRecord(42L, "alice", null, "alice@example.org", "phone",
                "bob@example.net", null, null, null));
        assertThat(row.utf8(QueuedRow.BODY)).isEqualTo("Grüße 👋".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(row.utf8(QueuedRow.STANZA)).asString(java.nio.charset.StandardCharsets.UTF_8)
                .isEqualTo(sent.stanza());
        assertThat(QueuedRow.of(new ArchiveRecord(1L, null, "b", "a@x", null, "b@x", null, null, "<m/>"))
                .utf8(QueuedRow.BODY)).isNull();
    }

    @Test
    void aRowCountsItsTextInUtf8BytesSoTheQueueBoundSeesLargeMessages() {
        ArchiveRecord small = new ArchiveRecord(1L, "a", "b", "a@x", null, "b@x", null, "hi", "<message/>");
        ArchiveRecord large = new ArchiveRecord(2L, "a", "b", "a@x", null, "b@x", null, "é".repeat(4_000),
                "<message><body>" + "é".repeat(4_000) + "</body></message>");

        // Two bytes per "é", in the body and again in the stanza.
        assertThat(QueuedRow.of(large).bytes() - QueuedRow.of(small).bytes())
                .isEqualTo(2L * 4_000 * 2 + "<message><body></body></message>".length() - "hi<message/>".length());
    }

    @Test
    void recordsAreDecodedWhenReadInTheirOrder() {
        ArchiveRecord a = new ArchiveRecord(1L, "a", null, "a@x", null, "b@x", null, "one", "<m/>");
        ArchiveRecord b = new ArchiveRecord(2L, null, "b", "a@x", null, "b@x", null, "two", "<m/>");

        List<ArchiveRecord> records = QueuedRow.records(List.of(QueuedRow.of(a), QueuedRow.of(b)));

        assertThat(records).containsExactly(a, b);
        assertThat(records.subList(1, 2)).containsExactly(b);
    }
}
