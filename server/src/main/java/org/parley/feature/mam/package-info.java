/**
 * Message Archive Management: XEP-0313 (urn:xmpp:mam:2, version 1.1.x) with the
 * urn:xmpp:mam:2#extended fields (before-id, after-id, ids, flip-page), result set management
 * per XEP-0059 (1.0), server-assigned stanza ids per XEP-0359 (urn:xmpp:sid:0, 0.7) and
 * full-text search per XEP-0431 (urn:xmpp:fulltext:0, 0.2).
 *
 * <p>Hot path: the INBOUND hook decides per side (preferences), takes an id and hands one row to
 * the {@link org.parley.feature.mam.ArchiveWriter}, which commits batches on its own thread; the
 * routing thread never waits for the disk. A query first waits until everything this node
 * archived before it is committed, so a client paging from its last id misses nothing.
 */
package org.parley.feature.mam;
