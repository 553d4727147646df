package org.parley.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The primitives of RFC 5802 §2.2 (H, HMAC, Hi) for the two hash algorithms SCRAM uses here.
 * Stateless; every call gets fresh JCA objects because Mac and MessageDigest are not thread-safe.
 */
final class ScramCrypto {

    private ScramCrypto() {
    }

    static void requireSupported(String algorithm) {
        if (!ScramCredentials.SHA_1.equals(algorithm) && !ScramCredentials.SHA_256.equals(algorithm)) {
            throw new IllegalArgumentException("unsupported SCRAM hash: " + algorithm);
        }
    }

    static int hashLength(String algorithm) {
        return ScramCredentials.SHA_1.equals(algorithm) ? 20 : 32;
    }

    private static String macName(String algorithm) {
        return ScramCredentials.SHA_1.equals(algorithm) ? "HmacSHA1" : "HmacSHA256";
    }

    /** Hi(str, salt, i) is PBKDF2 with HMAC as the PRF and dkLen = hash length (RFC 5802 §2.2). */
    static byte[] hi(String algorithm, String preparedPassword, byte[] salt, int iterations) {
        requireSupported(algorithm);
        String prf = ScramCredentials.SHA_1.equals(algorithm) ? "PBKDF2WithHmacSHA1" : "PBKDF2WithHmacSHA256";
        // SunJCE encodes the char[] password as UTF-8, which is what RFC 5802 asks for.
        PBEKeySpec spec = new PBEKeySpec(preparedPassword.toCharArray(), salt, iterations, hashLength(algorithm) * 8);
        try {
            return SecretKeyFactory.getInstance(prf).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2 unavailable for " + algorithm, e);
        } finally {
            spec.clearPassword();
        }
    }

    static byte[] hmac(String algorithm, byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance(macName(algorithm));
            mac.init(new SecretKeySpec(key, macName(algorithm)));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC unavailable for " + algorithm, e);
        }
    }

    static byte[] hmac(String algorithm, byte[] key, String data) {
        return hmac(algorithm, key, data.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hash(String algorithm, byte[] data) {
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("digest unavailable: " + algorithm, e);
        }
    }

    static byte[] xor(byte[] a, byte[] b) {
        byte[] out = new byte[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (byte) (a[i] ^ b[i]);
        }
        return out;
    }
}
