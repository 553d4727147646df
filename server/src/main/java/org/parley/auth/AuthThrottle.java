package org.parley.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Slows password guessing down to a few attempts a minute: failed authentications are counted
 * per client address and per account, and past a free allowance each further failure makes that
 * address or account wait, twice as long each time up to a maximum, before it may try again. A
 * throttled attempt is answered before any credential work (no PBKDF2, no store read).
 *
 * <p>An account under attack is not locked against its owner: the per-account wait does not apply
 * to an address that has logged into that account before (remembered for the window, refreshed
 * by every login), which is judged by its own failures alone. Counts are forgotten a window after
 * the last failure. Every table is bounded: an attacker spreading over addresses loses its oldest
 * entries, never the server's memory. Per node, in memory; thread-safe.
 *
 * <p>The failure that reaches the free allowance starts the first wait ({@code delay}); each
 * later one doubles it, up to {@code maxDelay}.
 */
public final class AuthThrottle {
    private static final long MAX_ENTRIES = 100_000;

    /**
     * Thrown by a gated credential lookup (see {@link SaslMechanisms#create(String, boolean,
     * java.util.function.Predicate)}) when the account named may not be tried now: the attempt
     * ends there, before any credential work.
     */
    public static final class Refused extends RuntimeException {
        public Refused() {
            super("throttled", null, false, false);
        }
    }

    /** Failures so far and when the next attempt may come. */
    private record Count(int failures, Instant until) {
    }

    private final int freeAddress;
    private final int freeAccount;
    private final Duration delay;
    private final Duration maxDelay;
    private final Clock clock;
    private final Cache<String, Count> addresses;
    private final Cache<String, Count> accounts;
    private final Cache<String, Boolean> owners;

    public AuthThrottle(int freeAddress, int freeAccount, Duration delay, Duration maxDelay, Duration window,
                        Clock clock) {
        this.freeAddress = freeAddress;
        this.freeAccount = freeAccount;
        this.delay = delay;
        this.maxDelay = maxDelay;
        this.clock = clock;
        this.addresses = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(MAX_ENTRIES).build();
        this.accounts = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(MAX_ENTRIES).build();
        this.owners = Caffeine.newBuilder().expireAfterWrite(window).maximumSize(MAX_ENTRIES).build();
    }

    /** How long {@code address} must still wait before it may try at all; zero when it may. */
    public Duration addressWait(String address) {
        return remaining(addresses.getIfPresent(address));
    }

    /** How long {@code address} must still wait before it may try {@code account}; zero when it may. */
    public Duration accountWait(String address, String account) {
        if (owners.getIfPresent(ownerKey(address, account)) != null) {
            return Duration.ZERO;
        }
        return remaining(accounts.getIfPresent(account));
    }

    /** A wrong password (or unknown account) from {@code address}; {@code account} null when none was named. */
    public void failed(String address, String account) {
        addresses.asMap().compute(address, (k, c) -> next(c, freeAddress));
        if (account != null && owners.getIfPresent(ownerKey(address, account)) == null) {
            accounts.asMap().compute(account, (k, c) -> next(c, freeAccount));
        }
    }

    /** A successful login: {@code address} counts as the owner's for {@code account} from now on. */
    public void succeeded(String address, String account) {
        owners.put(ownerKey(address, account), Boolean.TRUE);
    }

    private Count next(Count c, int free) {
        int failures = c == null ? 1 : c.failures() + 1;
        Instant now = clock.instant();
        if (failures < free) {
            return new Count(failures, now);
        }
        int doublings = Math.min(failures - free, 30);
        Duration wait = delay.multipliedBy(1L << doublings);
        if (wait.compareTo(maxDelay) > 0 || wait.isNegative()) {
            wait = maxDelay;
        }
        return new Count(failures, now.plus(wait));
    }

    private Duration remaining(Count c) {
        if (c == null) {
            return Duration.ZERO;
        }
        Duration left = Duration.between(clock.instant(), c.until());
        return left.isNegative() ? Duration.ZERO : left;
    }

    private static String ownerKey(String address, String account) {
        return account + '\u0000' + address;
    }
}
