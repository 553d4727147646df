package org.parley.xmpp;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The digest encodings XMPP protocols name, in one place. */
public final class Digests {
    private Digests() {
    }

    /**
     * Lower-case hex SHA-1, as avatar ids (XEP-0084, XEP-0153) and the component handshake
     * (XEP-0114) spell it.
     */
    public static String sha1Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is a required JDK algorithm", e);
        }
    }
}
