package org.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The throttle's arithmetic with a clock the test moves, and the gate that spares the credential work. */
class AuthThrottleTest {

    private static final class MovingClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovingClock clock = new MovingClock();
    private final AuthThrottle throttle = new AuthThrottle(3, 5, Duration.ofSeconds(2), Duration.ofSeconds(60),
            Duration.ofHours(1), clock);

    @Test
    void anAddressWaitsFromItsFreeAllowanceOnTwiceAsLongEachTimeUpToTheMaximum() {
        throttle.failed("a", null);
        throttle.failed("a", null);
        assertThat(throttle.addressWait("a")).isZero();
        throttle.failed("a", null);
        assertThat(throttle.addressWait("a")).isEqualTo(Duration.ofSeconds(2));
        throttle.failed("a", null);
        assertThat(throttle.addressWait("a")).isEqualTo(Duration.ofSeconds(4));
        throttle.failed("a", null);
        assertThat(throttle.addressWait("a")).isEqualTo(Duration.ofSeconds(8));
        for (int i = 0; i < 40; i++) {
            throttle.failed("a", null);
        }
        assertThat(throttle.addressWait("a")).isEqualTo(Duration.ofSeconds(60));
        clock.now = clock.now.plusSeconds(61);
        assertThat(throttle.addressWait("a")).isZero();
        assertThat(throttle.addressWait("b")).as("another address").isZero();
    }

    @Test
    void anAccountWaitsForStrangersButNotForItsOwnersAddress() {
        throttle.succeeded("home", "victim");
        for (int i = 0; i < 5; i++) {
            throttle.failed("attacker" + i, "victim");
        }
        assertThat(throttle.accountWait("attacker9", "victim")).isEqualTo(Duration.ofSeconds(2));
        assertThat(throttle.accountWait("home", "victim")).isZero();
        assertThat(throttle.accountWait("attacker9", "other")).isZero();
        throttle.failed("home", "victim"); // the owner mistyping does not feed the account's count
        for (int i = 0; i < 2; i++) {
            throttle.failed("home", "victim");
        }
        assertThat(throttle.accountWait("attacker9", "victim")).isEqualTo(Duration.ofSeconds(2));
        assertThat(throttle.addressWait("home")).as("but its address has its own").isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void aRefusedAccountCostsNoCredentialLookup() {
        AtomicInteger lookups = new AtomicInteger();
        SaslMechanisms mechanisms = new SaslMechanisms((user, alg) -> {
            lookups.incrementAndGet();
            return Optional.empty();
        }, "example.com");
        SaslMechanism plain = mechanisms.create(SaslMechanisms.PLAIN, true, user -> !user.equals("victim")).orElseThrow();
        assertThatThrownBy(() -> plain.evaluate("\0victim\0guess".getBytes())).isInstanceOf(AuthThrottle.Refused.class);
        SaslMechanism scram = mechanisms.create(SaslMechanisms.SCRAM_SHA_256, true, user -> !user.equals("victim"))
                .orElseThrow();
        assertThatThrownBy(() -> scram.evaluate("n,,n=victim,r=abcdefgh".getBytes()))
                .isInstanceOf(AuthThrottle.Refused.class);
        assertThat(lookups).hasValue(0);
        SaslMechanism other = mechanisms.create(SaslMechanisms.PLAIN, true, user -> !user.equals("victim")).orElseThrow();
        assertThat(other.evaluate("\0other\0guess".getBytes())).isInstanceOf(SaslStep.Failure.class);
        assertThat(lookups.get()).isPositive();
    }
}
