package org.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatencyTimelineTest {

    @Test
    void eachSecondBySendTimeCountsItsLateDeliveriesAndItsLongest(@TempDir Path dir) throws Exception {
        long start = 1_800_000_000L * 1_000_000_000L + 250_000_000L; // a quarter past a whole second
        LatencyTimeline timeline = new LatencyTimeline(start, 20_000);
        timeline.record(start + 100_000_000L, 1_500);
        timeline.record(start + 900_000_000L, 35_000);
        timeline.record(start + 2_100_000_000L, 20_000); // not over the threshold
        timeline.record(start - 1, 99_000_000); // before the start: not kept
        timeline.record(start + LatencyTimeline.SECONDS * 1_000_000_000L, 99_000_000); // past the last second

        Path file = dir.resolve("timeline.txt");
        timeline.write(file);

        assertThat(Files.readAllLines(file)).containsExactly(
                "# epoch_second messages over_20ms max_ms",
                "1800000000 2 1 35.0",
                "1800000002 1 0 20.0");
    }
}
