package org.parley.feature.muc;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.parley.xml.Element;
import org.parley.xmpp.Jid;

/**
 * XEP-0421 occupant identifiers (version 1.0.1): an opaque id per real bare JID per room, the same
 * across reconnections and nickname changes, so a semi-anonymous room's occupants can tell one
 * another apart without learning real JIDs. The id is an HMAC-SHA-256 of the bare JID under a
 * random salt of the room's own (kept with a persistent room, so ids survive restarts), cut to
 * 128 bits and base64url-encoded: it reveals nothing of the JID, and two rooms give one user
 * unrelated ids.
 */
final class OccupantIds {
    static final String NAMESPACE = "urn:xmpp:occupant-id:0";
    static final String ELEMENT = "occupant-id";
    private static final int SALT_BYTES = 16;

    private final byte[] salt;

    private OccupantIds(byte[] salt) {
        this.salt = salt;
    }

    /** A new room's: a fresh random salt. */
    static OccupantIds fresh(SecureRandom random) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new OccupantIds(salt);
    }

    /** A stored room's, from {@link #salt()}; a missing or unreadable salt gives a fresh one. */
    static OccupantIds restored(String salt, SecureRandom random) {
        if (salt != null) {
            try {
                byte[] bytes = Base64.getDecoder().decode(salt);
                if (bytes.length == SALT_BYTES) {
                    return new OccupantIds(bytes);
                }
            } catch (IllegalArgumentException e) {
                // a fresh salt below
            }
        }
        return fresh(random);
    }

    /** The salt as the store keeps it. */
    String salt() {
        return Base64.getEncoder().encodeToString(salt);
    }

    /** The occupant id of {@code user} (its bare JID counts) in this room. */
    String of(Jid user) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(salt, "HmacSHA256"));
            byte[] digest = mac.doFinal(user.bare().toString().getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** {@code <occupant-id xmlns='urn:xmpp:occupant-id:0' id='…'/>}. */
    static Element element(String id) {
        return Element.builder(ELEMENT, NAMESPACE).attr("id", id).build();
    }

    /** Whether a child of a client's stanza is an occupant id, which only the room may write (§4). */
    static boolean is(Element child) {
        return child.is(ELEMENT, NAMESPACE);
    }
}
