package org.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The client side of SCRAM, just enough to drive the server in tests. It reuses the primitives the
 * RFC vector tests already pin down.
 */
final class ScramTestClient {

    private final String algorithm;
    private final String gs2Header;
    private final String clientFirstBare;

    ScramTestClient(String algorithm, String gs2Header, String escapedUsername, String clientNonce) {
        this.algorithm = algorithm;
        this.gs2Header = gs2Header;
        this.clientFirstBare = "n=" + escapedUsername + ",r=" + clientNonce;
    }

    byte[] clientFirst() {
        return utf8(gs2Header + clientFirstBare);
    }

    /** The client-final message for {@code password}, answering the server-first {@code challenge}. */
    String clientFinal(byte[] challenge, String password) {
        String serverFirst = new String(challenge, StandardCharsets.UTF_8);
        Map<String, String> attrs = attributes(serverFirst);
        byte[] salt = Base64.getDecoder().decode(attrs.get("s"));
        int iterations = Integer.parseInt(attrs.get("i"));
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(utf8(gs2Header)) + ",r=" + attrs.get("r");
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] saltedPassword = ScramCrypto.hi(algorithm, password, salt, iterations);
        byte[] clientKey = ScramCrypto.hmac(algorithm, saltedPassword, "Client Key");
        byte[] storedKey = ScramCrypto.hash(algorithm, clientKey);
        byte[] proof = ScramCrypto.xor(clientKey, ScramCrypto.hmac(algorithm, storedKey, authMessage));
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    static Map<String, String> attributes(String message) {
        Map<String, String> attrs = new HashMap<>();
        for (String pair : message.split(",")) {
            assertThat(pair).matches("[a-z]=.*");
            attrs.put(pair.substring(0, 1), pair.substring(2));
        }
        return attrs;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
