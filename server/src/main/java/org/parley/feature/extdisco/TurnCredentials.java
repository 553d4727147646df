package org.parley.feature.extdisco;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * TURN credentials in the shared-secret scheme of the TURN REST API (coturn's
 * {@code use-auth-secret}): username {@code <expiry unix seconds>:<user>}, password
 * base64(HMAC-SHA1(secret, username)). The TURN server checks the HMAC with the same secret and
 * refuses a username whose time has passed.
 */
final class TurnCredentials {
    private final byte[] secret;
    private final Duration ttl;

    /** What was issued, and until when it works. */
    record Issued(String username, String password, Instant expires) {
    }

    TurnCredentials(String secret, Duration ttl) {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.ttl = ttl;
    }

    /** Credentials for {@code user} (a local part, which holds no ':'), valid for the TTL from {@code now}. */
    Issued issue(String user, Instant now) {
        long expiry = now.plus(ttl).getEpochSecond();
        String username = expiry + ":" + user;
        return new Issued(username, password(username), Instant.ofEpochSecond(expiry));
    }

    String password(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA1 is part of every JDK", e);
        }
    }
}
