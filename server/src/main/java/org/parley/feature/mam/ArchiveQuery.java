package org.parley.feature.mam;

/**
 * A search of one owner's archive. Bounds are exclusive ids: {@code afterId} below, {@code
 * beforeId} above (use {@link Long#MIN_VALUE} / {@link Long#MAX_VALUE} for none).
 *
 * @param owner the username (or a hosted entity's bare JID) the archive is kept under
 * @param ownerJid the archive's own bare JID, the end of each of its conversations that is the
 *     owner; when null, a query {@code withJid} reads the owner's whole archive for it (slowly)
 * @param withJid a bare JID the other end must have, or null
 * @param withResource with {@code withJid}, the other end's resource too, or null
 * @param fulltext words that must all occur in the body, or null
 * @param backwards read newest first (for the last page, or RSM 'before')
 */
public record ArchiveQuery(String owner, String ownerJid, long afterId, long beforeId, String withJid,
                           String withResource, String fulltext, int limit, boolean backwards) {

    /** A query without the owner's JID: fine for one not {@code withJid}. */
    public ArchiveQuery(String owner, long afterId, long beforeId, String withJid, String withResource,
                        String fulltext, int limit, boolean backwards) {
        this(owner, null, afterId, beforeId, withJid, withResource, fulltext, limit, backwards);
    }
}
