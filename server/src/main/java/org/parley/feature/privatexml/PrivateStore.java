package org.parley.feature.privatexml;

import java.util.List;
import java.util.Optional;

/** The XML fragments each account keeps with XEP-0049, by (namespace, element name). */
public interface PrivateStore {

    /** One stored fragment: its root element's namespace and name, and its XML. */
    record Fragment(String namespace, String element, String xml) {
    }

    /** The fragment stored for (namespace, element), if any. */
    Optional<String> get(String owner, String namespace, String element);

    /**
     * Stores {@code fragments}, each replacing the one with its namespace and name, all or none.
     *
     * @return false, storing nothing, when the owner's fragments would then hold more than
     *         {@code maxTotalBytes} of XML (UTF-8)
     */
    boolean put(String owner, List<Fragment> fragments, long maxTotalBytes);
}
