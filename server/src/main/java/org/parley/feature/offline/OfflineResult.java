package org.parley.feature.offline;

/** Outcome of {@link OfflineStore#store(String, String, int)}. */
public enum OfflineResult {
    /** Durably stored. */
    STORED,
    /** The owner already has the maximum number of messages; nothing was stored. */
    QUOTA_EXCEEDED
}
