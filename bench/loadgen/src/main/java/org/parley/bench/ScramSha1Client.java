package org.parley.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Client side of SCRAM-SHA-1 (RFC 5802) without channel binding, for servers that refuse PLAIN
 * on an unencrypted stream. The server's signature is not verified: a load generator trusts
 * the server it measures.
 */
final class ScramSha1Client {
    private final String username;
    private final String password;
    private final String clientNonce;
    private final ScramCache cache;
    private String clientFirstBare;

    ScramSha1Client(String username, String password, ScramCache cache) {
        this(username, password, Long.toHexString(ThreadLocalRandom.current().nextLong())
                + Long.toHexString(ThreadLocalRandom.current().nextLong()), cache);
    }

    ScramSha1Client(String username, String password, String clientNonce, ScramCache cache) {
        this.username = username;
        this.password = password;
        this.clientNonce = clientNonce;
        this.cache = cache;
    }

    /** The initial response, base64 encoded, for {@code <auth mechanism='SCRAM-SHA-1'>}. */
    String clientFirst() {
        clientFirstBare = "n=" + username + ",r=" + clientNonce;
        return b64("n,," + clientFirstBare);
    }

    /** The answer to the server-first challenge (base64 in, base64 out). */
    String clientFinal(String serverFirstB64) {
        String serverFirst = new String(Base64.getDecoder().decode(serverFirstB64.strip()), StandardCharsets.UTF_8);
        String nonce = null;
        byte[] salt = null;
        String saltB64 = null;
        int iterations = 0;
        for (String part : serverFirst.split(",")) {
            if (part.startsWith("r=")) {
                nonce = part.substring(2);
            } else if (part.startsWith("s=")) {
                saltB64 = part.substring(2);
                salt = Base64.getDecoder().decode(saltB64);
            } else if (part.startsWith("i=")) {
                iterations = Integer.parseInt(part.substring(2));
            }
        }
        if (nonce == null || salt == null || iterations <= 0 || !nonce.startsWith(clientNonce)) {
            throw new IllegalStateException("bad SCRAM server-first: " + serverFirst);
        }
        String withoutProof = "c=biws,r=" + nonce;
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        try {
            byte[] saltBytes = salt;
            int rounds = iterations;
            byte[] salted = cache.saltedPassword(username, saltB64, iterations, () -> pbkdf2(saltBytes, rounds));
            byte[] clientKey = hmac(salted, "Client Key");
            byte[] storedKey = MessageDigest.getInstance("SHA-1").digest(clientKey);
            byte[] signature = hmac(storedKey, authMessage);
            byte[] proof = new byte[clientKey.length];
            for (int i = 0; i < proof.length; i++) {
                proof[i] = (byte) (clientKey[i] ^ signature[i]);
            }
            return b64(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] pbkdf2(byte[] salt, int iterations) {
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 160)).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key, "HmacSHA1"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
