package org.parley.auth;

import java.util.Base64;

/**
 * The lexical rules of RFC 5802 §7 that both SCRAM messages share: saslname escaping, printable
 * nonces, attribute-value pairs and base64 values. Violations surface as {@link Rejection}.
 */
final class ScramSyntax {

    private ScramSyntax() {
    }

    /** A client message that ends the exchange with a given condition. */
    static final class Rejection extends Exception {
        private final SaslFailure condition;

        Rejection(SaslFailure condition, String text) {
            super(text, null, false, false);
            this.condition = condition;
        }

        SaslStep.Failure toFailure() {
            return new SaslStep.Failure(condition, getMessage());
        }
    }

    static Rejection malformed(String text) {
        return new Rejection(SaslFailure.MALFORMED_REQUEST, text);
    }

    /** The value of {@code attr}'s "x=value" pair, or a rejection naming what was expected. */
    static String value(String pair, char attr) throws Rejection {
        if (pair.length() < 2 || pair.charAt(0) != attr || pair.charAt(1) != '=') {
            throw malformed("expected attribute '" + attr + "'");
        }
        return pair.substring(2);
    }

    /** Decodes saslname (RFC 5802 §5.1): "=2C" is ',', "=3D" is '=', any other '=' is an error. */
    static String saslname(String escaped) throws Rejection {
        if (escaped.isEmpty()) {
            throw malformed("empty name");
        }
        StringBuilder out = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c == ',' || c == '\0') {
                throw malformed("invalid character in name");
            }
            if (c != '=') {
                out.append(c);
            } else if (escaped.startsWith("2C", i + 1)) {
                out.append(',');
                i += 2;
            } else if (escaped.startsWith("3D", i + 1)) {
                out.append('=');
                i += 2;
            } else {
                throw malformed("invalid escape in name");
            }
        }
        return out.toString();
    }

    /** Encodes saslname (RFC 5802 §5.1): ',' as "=2C" and '=' as "=3D". */
    static String escapeSaslname(String name) {
        return name.replace("=", "=3D").replace(",", "=2C");
    }

    /** A nonce is one or more printable ASCII characters other than ','. */
    static boolean isNonce(String nonce) {
        if (nonce.isEmpty()) {
            return false;
        }
        for (int i = 0; i < nonce.length(); i++) {
            char c = nonce.charAt(i);
            if (c < 0x21 || c > 0x7e || c == ',') {
                return false;
            }
        }
        return true;
    }

    /** Extensions (ALPHA "=" 1*value-char) are allowed and ignored, but must at least be well formed. */
    static void requireExtension(String pair) throws Rejection {
        if (pair.length() < 3 || pair.charAt(1) != '=' || !isAlpha(pair.charAt(0))) {
            throw malformed("malformed attribute");
        }
    }

    static byte[] base64(String value) throws Rejection {
        try {
            return Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new Rejection(SaslFailure.INCORRECT_ENCODING, "invalid base64");
        }
    }

    private static boolean isAlpha(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
}
