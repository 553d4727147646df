package org.parley.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** RFC 9110 §14.1.2 byte ranges against a 1000-byte representation. */
class ByteRangeTest {

    @Test
    void theThreeFormsOfARange() {
        assertThat(ByteRange.parse("bytes=0-499", 1000)).isEqualTo(new ByteRange(0, 499));
        assertThat(ByteRange.parse("bytes=500-", 1000)).isEqualTo(new ByteRange(500, 999));
        assertThat(ByteRange.parse("bytes=-100", 1000)).isEqualTo(new ByteRange(900, 999));
        assertThat(ByteRange.parse("Bytes= 10-19 ", 1000)).isEqualTo(new ByteRange(10, 19));
    }

    @Test
    void rangesAreClippedToTheRepresentation() {
        assertThat(ByteRange.parse("bytes=900-5000", 1000)).isEqualTo(new ByteRange(900, 999));
        assertThat(ByteRange.parse("bytes=-5000", 1000)).isEqualTo(new ByteRange(0, 999));
        assertThat(new ByteRange(900, 999).contentRange(1000)).isEqualTo("bytes 900-999/1000");
    }

    @Test
    void aRangeWithNoByteInsideIsUnsatisfiable() {
        assertThat(ByteRange.parse("bytes=1000-", 1000)).isSameAs(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=1000-2000", 1000)).isSameAs(ByteRange.UNSATISFIABLE);
        assertThat(ByteRange.parse("bytes=-0", 1000)).isSameAs(ByteRange.UNSATISFIABLE);
    }

    @Test
    void whatTheServerIgnoresAndAnswersWhole() {
        assertThat(ByteRange.parse(null, 1000)).isNull();
        assertThat(ByteRange.parse("items=0-1", 1000)).isNull();
        assertThat(ByteRange.parse("bytes=5-1", 1000)).isNull();
        assertThat(ByteRange.parse("bytes=0-1,5-6", 1000)).isNull();
        assertThat(ByteRange.parse("bytes=a-b", 1000)).isNull();
        assertThat(ByteRange.parse("bytes=+1-2", 1000)).isNull();
        assertThat(ByteRange.parse("bytes=0-10", 0)).isNull();
    }
}
