package org.parley.feature.mam;

import java.time.Duration;
import java.util.List;
import org.parley.config.Option;

/** The {@code archive.*} settings of the message archive. */
public final class MamOptions {

    public static final Option<Boolean> ENABLED = Option.bool("enabled", true, "XEP-0313 message archive on or off");
    /** XEP-0313 §6.1 default modes. */
    public static final Option<String> DEFAULT_MODE = Option.choice("defaultMode", "always",
            List.of("always", "never", "roster"), "archiving preference of users who set none");
    public static final Option<Integer> DEFAULT_PAGE_SIZE = Option.integer("defaultPageSize", 50, 1, 10_000,
            "MAM page size when the client asks for none");
    public static final Option<Integer> MAX_PAGE_SIZE = Option.integer("maxPageSize", 250, 1, 10_000,
            "the largest MAM page a client may ask for");
    public static final Option<Integer> WRITE_BATCH = Option.integer("writeBatch", 10_000, 1, 100_000,
            "archive rows written per transaction at most");
    // 4 MiB: less than a survivor space of the launcher's young generation (-Xmn64m: 6.4 MB), so rows
    // waiting for the writer die young; at 16 MiB a flood's rows outlived several young collections,
    // were promoted, and filled the old generation (RSS) and lengthened the pauses (BENCHMARKS.md).
    public static final Option<Integer> MAX_PENDING_BYTES = Option.integer("maxPendingBytes", 4_194_304, 65_536,
            Integer.MAX_VALUE, "estimated bytes of archive rows waiting for the next transaction past which senders wait");
    public static final Option<Duration> WRITE_DELAY = Option.duration("writeDelay", Duration.ofMillis(500),
            Duration.ZERO, Duration.ofSeconds(10), "how long a row may wait to share a transaction");
    /** 10 bits of the archive id: two nodes must not share one. */
    public static final Option<Integer> NODE_NUMBER = Option.integer("nodeNumber", -1, -1, ArchiveIds.MAX_NODE,
                    "the node part of XEP-0359 ids (-1: derived from the cluster node id)")
            .mustBe("an integer 0-1023, or -1 to derive it from cluster.nodeId");
    public static final Option<Integer> COUNT_LIMIT = Option.integer("countLimit", 1000, 0, Integer.MAX_VALUE,
            "the RSM count is given for result sets of at most this many messages");
    public static final Option<Duration> RETENTION = Option.duration("retention", Duration.ZERO, Duration.ZERO,
            Duration.ofDays(36_500), "archived messages older than this are deleted (0 = keep)");

    static final List<Option<?>> ALL = List.of(ENABLED, DEFAULT_MODE, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, WRITE_BATCH,
            MAX_PENDING_BYTES, WRITE_DELAY, NODE_NUMBER, COUNT_LIMIT, RETENTION);

    private MamOptions() {
    }
}
