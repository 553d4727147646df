package org.parley.config;

import java.time.Duration;

/** {@code auth.*}: SASL authentication and the credentials kept for it. */
public record AuthSettings(SectionValues values) {

    static final Option<Duration> SASL_FAILURE_DELAY = Option.duration("saslFailureDelay", Duration.ofSeconds(1),
            Duration.ZERO, Duration.ofMinutes(1), "delay before each authentication failure");
    // RFC 7677 §4: at least 4096 iterations.
    static final Option<Integer> SCRAM_ITERATIONS = Option.integer("scramIterations", 4096, 4096, 10_000_000,
            "PBKDF2 iterations for new SCRAM credentials");
    // RFC 6120 §6.4.5: allow at least 2 and at most 5 attempts per stream.
    static final Option<Integer> MAX_FAILURES = Option.integer("maxFailures", 3, 2, 5,
            "failed authentications before the stream ends").mustBe("an integer from 2 to 5");

    static final Option<Integer> FREE_FAILURES = Option.integer("freeFailures", 5, 1, 1_000_000,
            "failed authentications from one address (IPv6: its /64) after which it must wait");
    static final Option<Integer> FREE_ACCOUNT_FAILURES = Option.integer("freeAccountFailures", 10, 1, 1_000_000,
            "failed authentications on one account, from addresses that have not logged into it, after which they must wait");
    static final Option<Duration> THROTTLE_DELAY = Option.duration("throttleDelay", Duration.ofSeconds(2),
            Duration.ofMillis(1), Duration.ofHours(1), "the first wait of a throttled address or account, doubled per failure");
    static final Option<Duration> MAX_THROTTLE_DELAY = Option.duration("maxThrottleDelay", Duration.ofMinutes(15),
            Duration.ofMillis(1), Duration.ofDays(1), "the longest wait");
    static final Option<Duration> THROTTLE_WINDOW = Option.duration("throttleWindow", Duration.ofHours(1),
            Duration.ofSeconds(1), Duration.ofDays(30), "failures are forgotten this long after the last one");

    // 0: as many as the pool has connections, so logins alone never make anyone wait for one.
    static final Option<Integer> CONCURRENT_LOGINS = Option.integer("concurrentLogins", 0, 0, 1000,
            "logins reading their credentials from the database at once (0 = database.poolSize)")
            .documentedAs("`0` (`database.poolSize`)");
    static final Option<Integer> MAX_WAITING_LOGINS = Option.integer("maxWaitingLogins", 10_000, 0, 1_000_000,
            "logins waiting for their turn at the database; past it temporary-auth-failure at once");

    public static final Section SECTION = Section.of("auth", SASL_FAILURE_DELAY, SCRAM_ITERATIONS, MAX_FAILURES,
            FREE_FAILURES, FREE_ACCOUNT_FAILURES, THROTTLE_DELAY, MAX_THROTTLE_DELAY, THROTTLE_WINDOW,
            CONCURRENT_LOGINS, MAX_WAITING_LOGINS);

    /** Logins reading credentials at once; 0 means as many as the database pool's connections. */
    public int concurrentLogins() {
        return values.get(CONCURRENT_LOGINS);
    }

    public int maxWaitingLogins() {
        return values.get(MAX_WAITING_LOGINS);
    }

    public Duration saslFailureDelay() {
        return values.get(SASL_FAILURE_DELAY);
    }

    public int scramIterations() {
        return values.get(SCRAM_ITERATIONS);
    }

    public int maxFailures() {
        return values.get(MAX_FAILURES);
    }

    public int freeFailures() {
        return values.get(FREE_FAILURES);
    }

    public int freeAccountFailures() {
        return values.get(FREE_ACCOUNT_FAILURES);
    }

    public Duration throttleDelay() {
        return values.get(THROTTLE_DELAY);
    }

    public Duration maxThrottleDelay() {
        return values.get(MAX_THROTTLE_DELAY);
    }

    public Duration throttleWindow() {
        return values.get(THROTTLE_WINDOW);
    }
}
