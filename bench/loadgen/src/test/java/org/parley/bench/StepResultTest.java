package org.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class StepResultTest {

    private static StepResult step(long sent, long delivered, long rss, int latencyMicros) {
        Histogram h = StepResult.newHistogram();
        h.recordValue(latencyMicros);
        return new StepResult("chat", "1000/s", 1000, 1000, 15, sent, delivered, delivered, 500, 1, 40, 20, rss, -1,
                "n", h);
    }

    @Test
    void encodesAndDecodesLosslessly() {
        StepResult s = step(10, 9, 1234, 5000);
        StepResult back = StepResult.decode(s.encode());
        assertThat(back.sent()).isEqualTo(10);
        assertThat(back.rssKb()).isEqualTo(1234);
        assertThat(back.latency().getTotalCount()).isEqualTo(1);
        assertThat(back.percentileMillis(50)).isBetween(4.99, 5.01);
    }

    @Test
    void mergingAddsCountersAndHistogramsAndKeepsTheSampledServerReading() {
        StepResult merged = step(10, 9, 1234, 1000).plus(step(20, 20, -1, 100_000));
        assertThat(merged.sent()).isEqualTo(30);
        assertThat(merged.delivered()).isEqualTo(29);
        assertThat(merged.online()).isEqualTo(1000);
        assertThat(merged.rssKb()).isEqualTo(1234);
        assertThat(merged.latency().getTotalCount()).isEqualTo(2);
        assertThat(merged.maxMillis()).isGreaterThan(99);
        assertThat(merged.ratePerSecond()).isEqualTo(29 / 15.0);
    }
}
