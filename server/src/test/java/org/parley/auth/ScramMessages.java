package org.parley.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Reading SCRAM messages in tests of the server half. */
final class ScramMessages {

    private ScramMessages() {
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
