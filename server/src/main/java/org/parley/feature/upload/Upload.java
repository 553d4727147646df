package org.parley.feature.upload;

import java.time.Instant;

/**
 * A slot the service handed out, and the file it holds once its PUT completed.
 *
 * @param id          the slot's random id, also the blob's key
 * @param owner       the account that asked for it (local part)
 * @param name        the file name the client gave
 * @param size        the announced size in bytes; the PUT must have exactly this many
 * @param contentType the announced content type, or null when the client gave none
 * @param uploadedAt  when the PUT completed, or null while the slot is unused
 */
public record Upload(String id, String owner, String name, long size, String contentType, Instant createdAt,
                     Instant uploadedAt) {

    public boolean uploaded() {
        return uploadedAt != null;
    }
}
