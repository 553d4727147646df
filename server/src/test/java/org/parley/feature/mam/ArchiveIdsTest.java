package org.parley.feature.mam;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ArchiveIdsTest {
    private static Clock clock(AtomicLong millis) {
        return new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(millis.get());
            }
        };
    }

    @Test
    void increasingWithinAMillisecondAndWhenTheClockStepsBack() {
        AtomicLong now = new AtomicLong(1_700_000_000_000L);
        ArchiveIds ids = new ArchiveIds(clock(now), 5);
        long a = ids.next();
        long b = ids.next();
        now.addAndGet(-1000);
        long c = ids.next();
        assertThat(b).isGreaterThan(a);
        assertThat(c).isGreaterThan(b);
        assertThat(ArchiveIds.time(a)).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    }

    @Test
    void borrowsTheNextMillisecondAfter4096Ids() {
        AtomicLong now = new AtomicLong(1_700_000_000_000L);
        ArchiveIds ids = new ArchiveIds(clock(now), 0);
        long last = 0;
        for (int i = 0; i < 5000; i++) {
            long id = ids.next();
            assertThat(id).isGreaterThan(last);
            last = id;
        }
        assertThat(ArchiveIds.time(last)).isEqualTo(Instant.ofEpochMilli(1_700_000_000_001L));
    }

    @Test
    void nodesNeverCollide() {
        AtomicLong now = new AtomicLong(1_700_000_000_000L);
        assertThat(new ArchiveIds(clock(now), 1).next()).isNotEqualTo(new ArchiveIds(clock(now), 2).next());
        assertThat(ArchiveIds.node(new ArchiveIds(clock(now), 1023).next())).as("the node is read back").isEqualTo(1023);
        assertThat(ArchiveIds.node(new ArchiveIds(clock(now), 7).next())).isEqualTo(7);
        assertThat(ArchiveIds.nodeNumber(7, "a")).isEqualTo(7);
        assertThat(ArchiveIds.nodeNumber(-1, null)).isZero();
        assertThat(ArchiveIds.nodeNumber(-1, "node-a")).isBetween(0, ArchiveIds.MAX_NODE);
    }

    @Test
    void timeBoundsAndParsing() {
        Instant t = Instant.parse("2026-01-02T03:04:05.678Z");
        AtomicLong now = new AtomicLong(t.toEpochMilli());
        long id = new ArchiveIds(clock(now), 3).next();
        assertThat(id).isGreaterThanOrEqualTo(ArchiveIds.firstAt(t)).isLessThan(ArchiveIds.firstAt(t.plusMillis(1)));
        assertThat(ArchiveIds.parse(ArchiveIds.format(id))).isEqualTo(id);
        assertThat(ArchiveIds.parse("abc")).isEqualTo(-1);
        assertThat(ArchiveIds.parse("99999999999999999999")).isEqualTo(-1);
        assertThat(ArchiveIds.parse("")).isEqualTo(-1);
    }
}
