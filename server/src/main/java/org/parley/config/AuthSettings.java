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

    public static final Section SECTION = Section.of("auth", SASL_FAILURE_DELAY, SCRAM_ITERATIONS, MAX_FAILURES);

    public Duration saslFailureDelay() {
        return values.get(SASL_FAILURE_DELAY);
    }

    public int scramIterations() {
        return values.get(SCRAM_ITERATIONS);
    }

    public int maxFailures() {
        return values.get(MAX_FAILURES);
    }
}
