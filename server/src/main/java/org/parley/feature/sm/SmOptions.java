package org.parley.feature.sm;

import java.time.Duration;
import java.util.List;
import org.parley.config.Option;

/** The {@code sm.*} settings of stream management. */
public final class SmOptions {

    public static final Option<Duration> RESUME_TIMEOUT = Option.duration("resumeTimeout", Duration.ofMinutes(5),
            Duration.ofSeconds(1), Duration.ofDays(1), "resumption window (a client may ask for less)");
    public static final Option<Duration> MAX_RESUME_TIMEOUT = Option.duration("maxResumeTimeout",
            Duration.ofMinutes(10), Duration.ofSeconds(1), Duration.ofDays(1), "the most a client may ask for");
    public static final Option<Integer> REQUEST_ACK_EVERY = Option.integer("requestAckEvery", 10, 1, 1_000_000,
            "the server asks for an ack after every this many stanzas");
    public static final Option<Duration> REQUEST_ACK_INTERVAL = Option.duration("requestAckInterval",
            Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofHours(1),
            "and every this long while stanzas are unacknowledged");
    public static final Option<Duration> ACK_TIMEOUT = Option.duration("ackTimeout", Duration.ofSeconds(60),
            Duration.ofMillis(100), Duration.ofDays(1), "an ack request unanswered this long means a dead connection");
    public static final Option<Integer> MAX_UNACKED = Option.integer("maxUnacked", 1000, 1, 1_000_000,
            "unacknowledged stanzas past which a client that stopped acknowledging is disconnected");
    public static final Option<Integer> MAX_QUEUED = Option.integer("maxQueued", 20_000, 1, 10_000_000,
            "unacknowledged stanzas past which the stream ends at once");

    static final List<Option<?>> ALL = List.of(RESUME_TIMEOUT, MAX_RESUME_TIMEOUT, REQUEST_ACK_EVERY,
            REQUEST_ACK_INTERVAL, ACK_TIMEOUT, MAX_UNACKED, MAX_QUEUED);

    private SmOptions() {
    }
}
