package org.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CopySpreadTest {

    @Test
    void eachMessageGetsItsFirstMedianAndLastCopy() {
        CopySpread spread = new CopySpread(2);
        long a = 1_000_000_000L;
        long b = 2_000_000_000L;
        for (int i = 1; i <= 101; i++) {
            spread.copy(1, a, i * 1000L); // 1..101 ms
            spread.copy(1, b, 5000L);     // every copy 5 ms
        }
        List<CopySpread.Spread> s = spread.spreads(1);
        assertThat(s).hasSize(2);
        assertThat(s.get(0).sentAtMillis()).isEqualTo(1000);
        assertThat(s.get(0).copies()).isEqualTo(101);
        assertThat(s.get(0).first()).isEqualTo(1.0);
        assertThat(s.get(0).median()).isEqualTo(51.0);
        assertThat(s.get(0).last()).isEqualTo(101.0);
        assertThat(s.get(1).last()).isEqualTo(5.0);
        assertThat(spread.spreads(0)).isEmpty();
        assertThat(CopySpread.describe(s)).contains("per message (2)").contains("worst 1.0/51.0/101.0 ms");
    }
}
