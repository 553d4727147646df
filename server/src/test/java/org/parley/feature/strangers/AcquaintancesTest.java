package org.parley.feature.strangers;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.parley.store.RosterStore;

class AcquaintancesTest {

    /**
     * The send limit trusts each sender's contacts for about a minute. Read for every user at
     * once (the first messages after a start), they must not all be read again in the same
     * second a minute later: that second every sender's message waited for a roster read and
     * the server stalled. Each answer keeps its own time, from half the minute to one and a half.
     */
    @Test
    void contactsReadTogetherAreReadAgainSpreadOverAMinuteNotAllAtOnce() {
        AtomicInteger reads = new AtomicInteger();
        RosterStore roster = (RosterStore) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {RosterStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("items")) {
                        reads.incrementAndGet();
                        return List.of();
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        AtomicLong now = new AtomicLong();
        Acquaintances acquaintances = new Acquaintances(roster, 100_000, Duration.ofDays(1), now::get, new Random(7));
        int users = 1000;
        for (int u = 0; u < users; u++) {
            assertThat(acquaintances.isContactCached("u" + u, "someone@x")).isFalse();
        }
        assertThat(reads.get()).isEqualTo(users);

        int most = 0;
        int total = 0;
        for (int second = 1; second <= 95; second++) {
            now.set(TimeUnit.SECONDS.toNanos(second));
            reads.set(0);
            for (int u = 0; u < users; u++) {
                acquaintances.isContactCached("u" + u, "someone@x");
            }
            if (second < Acquaintances.CONTACT_TTL.toSeconds() / 2) {
                assertThat(reads.get()).as("second %d: still trusted", second).isZero();
            }
            most = Math.max(most, reads.get());
            total += reads.get();
        }
        // Spread evenly over 60 s that is about 17 a second; all together would be 1,000 in one.
        assertThat(most).as("roster reads in the busiest second").isLessThan(users / 20);
        assertThat(total).as("every user's contacts read again within the minute and a half").isGreaterThanOrEqualTo(users);
    }
}
