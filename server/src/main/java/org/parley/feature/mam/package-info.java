/**
 * Message Archive Management: XEP-0313 (urn:xmpp:mam:2, version 1.1.x) with the
 * urn:xmpp:mam:2#extended fields (before-id, after-id, ids, flip-page), result set management
 * per XEP-0059 (through {@code xmpp.rsm}), server-assigned stanza ids per XEP-0359 (urn:xmpp:sid:0, 0.7) and
 * full-text search per XEP-0431 (urn:xmpp:fulltext:0, 0.2).
 *
 * <p>Hot path: the INBOUND hook decides per side (preferences), takes an id and hands one row to
 * the {@link org.parley.feature.mam.ArchiveWriter}, which commits large batches on its own thread
 * (archive.writeBatch rows or archive.writeDelay, whichever comes first, at once when the queue
 * reached archive.maxPendingBytes); the routing thread waits for the disk only past that bound.
 *
 * <p>Guarantee: a query first makes the writer commit everything this node archived before the
 * query arrived, so on one node a client paging from the last stanza-id it saw misses nothing and
 * sees nothing twice (messages stored offline carry the same ids). Across cluster nodes a
 * message routed by another node is in the archive once that node's writer commits it, at most
 * archive.writeDelay later; a query on this node does not wait for other nodes' writers.
 *
 * <p>Storage: {@link ArchiveStore}, implemented by {@link SqlArchiveStore} on the server's
 * database. Its tables came with the core's first migrations; a change to them is a migration of
 * this feature's own, under {@code db/mam/<dialect>}. Preferences are cached per node and
 * invalidated on every node when they change.
 */
package org.parley.feature.mam;
