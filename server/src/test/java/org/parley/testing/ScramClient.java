package org.parley.testing;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client side of SCRAM (RFC 5802, RFC 7677) without channel binding, written independently of
 * the server's code so protocol tests check the server against the RFC rather than against itself.
 * One instance per authentication attempt.
 */
public final class ScramClient {
    private static final String GS2_HEADER = "n,,";

    private final String digest;
    private final String hmac;
    private final String password;
    private final String clientNonce;
    private final String clientFirstBare;
    private byte[] serverSignature;

    /** @param mechanism {@code SCRAM-SHA-1} or {@code SCRAM-SHA-256} */
    public ScramClient(String mechanism, String username, String password) {
        switch (mechanism) {
            case "SCRAM-SHA-1" -> {
                digest = "SHA-1";
                hmac = "HmacSHA1";
            }
            case "SCRAM-SHA-256" -> {
                digest = "SHA-256";
                hmac = "HmacSHA256";
            }
            default -> throw new IllegalArgumentException(mechanism);
        }
        this.password = password;
        byte[] nonce = new byte[18];
        new SecureRandom().nextBytes(nonce);
        this.clientNonce = Base64.getEncoder().encodeToString(nonce);
        this.clientFirstBare = "n=" + username.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
    }

    public byte[] clientFirst() {
        return utf8(GS2_HEADER + clientFirstBare);
    }

    /** The client-final message answering {@code serverFirst}; remembers the expected server signature. */
    public byte[] clientFinal(byte[] serverFirstBytes) {
        String serverFirst = new String(serverFirstBytes, StandardCharsets.UTF_8);
        Map<String, String> attrs = attributes(serverFirst);
        String nonce = attrs.get("r");
        if (nonce == null || !nonce.startsWith(clientNonce) || nonce.length() == clientNonce.length()) {
            throw new IllegalStateException("server nonce does not extend ours: " + serverFirst);
        }
        byte[] salt = Base64.getDecoder().decode(attrs.get("s"));
        int iterations = Integer.parseInt(attrs.get("i"));
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(utf8(GS2_HEADER)) + ",r=" + nonce;
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] salted = hi(salt, iterations);
        byte[] clientKey = mac(salted, utf8("Client Key"));
        byte[] storedKey = hash(clientKey);
        byte[] clientSignature = mac(storedKey, utf8(authMessage));
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ clientSignature[i]);
        }
        serverSignature = mac(mac(salted, utf8("Server Key")), utf8(authMessage));
        return utf8(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof));
    }

    /** True if the server-final message {@code v=...} proves the server knows the credentials. */
    public boolean verifyServerFinal(byte[] serverFinal) {
        Map<String, String> attrs = attributes(new String(serverFinal, StandardCharsets.UTF_8));
        return serverSignature != null && attrs.containsKey("v")
                && MessageDigest.isEqual(serverSignature, Base64.getDecoder().decode(attrs.get("v")));
    }

    private byte[] hi(byte[] salt, int iterations) {
        byte[] block = new byte[salt.length + 4];
        System.arraycopy(salt, 0, block, 0, salt.length);
        block[block.length - 1] = 1;
        byte[] u = mac(utf8(password), block);
        byte[] result = u.clone();
        for (int i = 1; i < iterations; i++) {
            u = mac(utf8(password), u);
            for (int j = 0; j < result.length; j++) {
                result[j] ^= u[j];
            }
        }
        return result;
    }

    private byte[] mac(byte[] key, byte[] data) {
        try {
            Mac m = Mac.getInstance(hmac);
            m.init(new SecretKeySpec(key, hmac));
            return m.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] hash(byte[] data) {
        try {
            return MessageDigest.getInstance(digest).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> attributes(String message) {
        Map<String, String> attrs = new HashMap<>();
        for (String pair : message.split(",")) {
            if (pair.length() >= 2 && pair.charAt(1) == '=') {
                attrs.put(pair.substring(0, 1), pair.substring(2));
            }
        }
        return attrs;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
