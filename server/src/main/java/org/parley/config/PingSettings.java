package org.parley.config;

import java.time.Duration;

/** {@code ping.*}: when the server pings a silent client (XEP-0199) and gives up on it. */
public record PingSettings(SectionValues values) {

    static final Option<Duration> IDLE = Option.duration("idle", Duration.ofMinutes(5), Duration.ofSeconds(1),
            Duration.ofDays(1), "a client silent this long is pinged");
    static final Option<Duration> TIMEOUT = Option.duration("timeout", Duration.ofSeconds(60), Duration.ofSeconds(1),
            Duration.ofHours(1), "a pinged client that does not answer within this is dropped");

    public static final Section SECTION = Section.of("ping", IDLE, TIMEOUT);

    public Duration idle() {
        return values.get(IDLE);
    }

    public Duration timeout() {
        return values.get(TIMEOUT);
    }
}
