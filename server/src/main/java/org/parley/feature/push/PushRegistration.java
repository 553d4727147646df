package org.parley.feature.push;

import java.util.Objects;

/**
 * One XEP-0357 push registration of an account: the app server, the node on it, and the
 * publish-options data form the client gave (its XML, or null).
 */
public record PushRegistration(String jid, String node, String publishOptionsXml) {
    public PushRegistration {
        Objects.requireNonNull(jid, "jid");
        Objects.requireNonNull(node, "node");
    }
}
