package org.parley.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * An allowed-origins setting (RFC 6454 origins a browser may connect from): {@code *} for any, or
 * a comma-separated list of {@code scheme://host[:port]}. A request without {@code Origin} is not
 * a browser's and is always allowed.
 */
final class Origins {
    static final String MUST = "* or a comma-separated list of scheme://host[:port]";

    private Origins() {
    }

    /** The allowed origins, lower case without a trailing slash; empty for any. */
    static List<String> parse(String text) {
        if (text.trim().equals("*")) {
            return List.of();
        }
        return Arrays.stream(text.split(",")).map(Origins::normalise).filter(s -> !s.isEmpty()).toList();
    }

    /** Whether a browser at {@code origin} (the request's {@code Origin}) may connect. */
    static boolean allows(List<String> allowed, String origin) {
        return origin == null || allowed.isEmpty() || allowed.contains(normalise(origin));
    }

    private static String normalise(String origin) {
        String o = origin.trim().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }

    static boolean valid(String text) {
        if (text.trim().equals("*")) {
            return true;
        }
        for (String o : text.split(",")) {
            try {
                URI uri = new URI(normalise(o));
                if (uri.getScheme() == null || uri.getHost() == null || (uri.getRawPath() != null
                        && !uri.getRawPath().isEmpty()) || uri.getRawQuery() != null) {
                    return false;
                }
            } catch (URISyntaxException e) {
                return false;
            }
        }
        return true;
    }
}
