package org.parley.store;

import java.util.Optional;

/**
 * vCards (XEP-0054 1.2), stored as the serialized {@code <vCard xmlns='vcard-temp'/>} element.
 * The owner must be an existing account.
 */
public interface VCardStore {

    Optional<String> get(String owner);

    /** Inserts or replaces the owner's vCard. */
    void put(String owner, String vcardXml);

    boolean delete(String owner);
}
