package org.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.auth.ScramClient;

/** The generator logs in with the server's SCRAM client and derives each salted password once. */
class ScramCacheTest {
    private static final String SERVER_FIRST = "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096";
    private static final String CLIENT_FINAL =
            "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=";

    @TempDir
    Path dir;

    /** The RFC 5802 §5 exchange, through a cache that counts what it had to derive. */
    private static String login(ScramCache cache, AtomicInteger derived) {
        ScramClient client = new ScramClient("SCRAM-SHA-1", "user", "pencil", "fyko+d2lbbFgONRv9qkxdawL",
                (user, salt, iterations, compute) -> cache.get(user, salt, iterations, () -> {
                    derived.incrementAndGet();
                    return compute.get();
                }));
        assertThat(new String(client.clientFirst(), StandardCharsets.UTF_8)).isEqualTo("n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL");
        return new String(client.clientFinal(SERVER_FIRST.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void derivesEachSaltedPasswordOnceAndKeepsItAcrossRuns() {
        Path file = dir.resolve("scram-cache");
        AtomicInteger derived = new AtomicInteger();
        ScramCache first = new ScramCache(file, Slice.parse("0/1", null));
        assertThat(login(first, derived)).isEqualTo(CLIENT_FINAL);
        assertThat(login(first, derived)).isEqualTo(CLIENT_FINAL);
        assertThat(derived).hasValue(1);
        first.save();

        ScramCache next = new ScramCache(file, Slice.parse("0/1", null));
        assertThat(login(next, derived)).isEqualTo(CLIENT_FINAL);
        assertThat(derived).hasValue(1);
    }

    @Test
    void keysBySaltAndIterations() {
        ScramCache cache = new ScramCache(null, Slice.parse("0/1", null));
        byte[] salt = Base64.getDecoder().decode("QSXCR+Q6sek8bf92");
        assertThat(cache.get("user", salt, 4096, () -> new byte[] {1})).containsExactly(1);
        assertThat(cache.get("user", salt, 4096, () -> new byte[] {2})).containsExactly(1);
        assertThat(cache.get("user", salt, 8192, () -> new byte[] {3})).containsExactly(3);
        assertThat(cache.get("user", new byte[] {9}, 4096, () -> new byte[] {4})).containsExactly(4);
    }
}
