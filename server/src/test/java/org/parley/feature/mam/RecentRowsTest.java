package org.parley.feature.mam;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The ids above the deferred indexes' mark, as a query takes them. */
class RecentRowsTest {

    @Test
    void candidatesAreAnOwnersSideInRangeAboveTheMark() {
        RecentRows rows = new RecentRows(10);
        rows.add(true, "alice", 5, "bob@x"); // at or below the mark: already in the tables
        rows.add(true, "alice", 11, "bob@x");
        rows.add(true, "alice", 12, "carol@x");
        rows.add(false, "alice", 13, "bob@x");
        rows.add(true, "alice", 14, "bob@x");
        rows.add(true, "bob", 15, "alice@x");

        RecentRows.Snapshot sent = rows.candidates("alice", true, Long.MIN_VALUE, Long.MAX_VALUE, null);
        assertThat(sent.mark()).isEqualTo(10);
        assertThat(sent.ids()).containsExactly(11, 12, 14);
        assertThat(rows.candidates("alice", false, Long.MIN_VALUE, Long.MAX_VALUE, null).ids()).containsExactly(13);
        assertThat(rows.candidates("alice", true, 11, 14, null).ids()).as("bounds are exclusive").containsExactly(12);
        assertThat(rows.candidates("alice", true, Long.MIN_VALUE, Long.MAX_VALUE, "bob@x").ids()).containsExactly(11, 14);
        assertThat(rows.candidates("carol", true, Long.MIN_VALUE, Long.MAX_VALUE, null).ids()).isEmpty();
        assertThat(rows.size()).isEqualTo(5);
    }

    @Test
    void aMovedMarkDropsWhatTheTablesNowHold() {
        RecentRows rows = new RecentRows(0);
        for (long id = 1; id <= 10; id++) {
            rows.add(true, "alice", id, "bob@x");
            rows.add(false, "bob", id, "alice@x");
        }
        rows.markTo(7);
        assertThat(rows.mark()).isEqualTo(7);
        assertThat(rows.candidates("alice", true, Long.MIN_VALUE, Long.MAX_VALUE, null).ids()).containsExactly(8, 9, 10);
        assertThat(rows.rows()).isEqualTo(3);
        rows.markTo(5);
        assertThat(rows.mark()).as("a mark never moves back").isEqualTo(7);
        rows.markTo(10);
        assertThat(rows.size()).isZero();
        assertThat(rows.candidates("bob", false, Long.MIN_VALUE, Long.MAX_VALUE, null).ids()).isEmpty();
    }

    @Test
    void anIdOutOfOrderTakesItsPlaceAndARepeatIsKeptOnce() {
        RecentRows rows = new RecentRows(0);
        rows.add(true, "alice", 20, "bob@x");
        rows.add(true, "alice", 30, "bob@x");
        rows.add(true, "alice", 25, "bob@x");
        rows.add(true, "alice", 30, "bob@x");
        for (long id = 40; id < 60; id++) { // grows past its first arrays
            rows.add(true, "alice", id, "bob@x");
        }
        long[] ids = rows.candidates("alice", true, Long.MIN_VALUE, 40, null).ids();
        assertThat(ids).containsExactly(20, 25, 30);
        assertThat(rows.size()).isEqualTo(23);
    }
}
