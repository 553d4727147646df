package org.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ScramSha1ClientTest {

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }

    @Test
    void matchesTheRfc5802Example() {
        ScramSha1Client c = new ScramSha1Client("user", "pencil", "fyko+d2lbbFgONRv9qkxdawL", new ScramCache(null, Slice.parse("0/1", null)));
        assertThat(unb64(c.clientFirst())).isEqualTo("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL");
        String fin = c.clientFinal(b64("r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096"));
        assertThat(unb64(fin)).isEqualTo("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=");
    }
}
