package org.parley.feature.caps;

import java.util.List;
import java.util.Optional;

/**
 * Verified XEP-0115 entity capabilities: the disco#info features behind a (hash, ver) pair.
 * Only verified entries are stored, so every node of a cluster may trust them and a ver is
 * queried once.
 */
public interface CapsStore {

    Optional<List<String>> features(String hash, String ver);

    /** Stores a verified entry; an existing one is left as it is (the same ver means the same features). */
    void put(String hash, String ver, List<String> features);
}
