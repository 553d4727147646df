package org.parley.feature.offline;

import java.time.Instant;
import java.util.Objects;

/**
 * A message kept for a user who was offline (RFC 6121 §8.5.2.2).
 *
 * @param id increases strictly in arrival order per owner; pass it to
 *     {@link OfflineStore#delete(String, long)} once delivered
 * @param stored when it was stored, to the millisecond (XEP-0203 delay stamp)
 */
public record OfflineMessage(long id, String stanzaXml, Instant stored) {

    public OfflineMessage {
        Objects.requireNonNull(stanzaXml, "stanzaXml");
        Objects.requireNonNull(stored, "stored");
    }
}
