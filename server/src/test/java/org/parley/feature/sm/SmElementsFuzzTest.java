package org.parley.feature.sm;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.parley.testing.FuzzXml;

/** XEP-0198 enable, resume and ack elements: every count read is within 0..2^32-1, or -1 for none. */
class SmElementsFuzzTest {

    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"<enable xmlns='urn:xmpp:sm:3'", "<resume xmlns='urn:xmpp:sm:3'", "<a xmlns='urn:xmpp:sm:3'",
            " resume='true'", " max='", " previd='", " h='", "4294967295", "4294967296", "-1"})
    void nonza(byte[] input) {
        FuzzXml.parseEach(input, e -> {
            assertThat(Enable.from(e).maxSeconds()).isNotNegative();
            assertThat(Resume.from(e).h()).isBetween(-1L, Sm.MOD - 1);
            assertThat(Sm.h(e)).isBetween(-1L, Sm.MOD - 1);
        });
    }
}
