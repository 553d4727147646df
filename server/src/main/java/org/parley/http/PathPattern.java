package org.parley.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A route's path: literal segments and {@code {name}} parameters, each parameter standing for
 * exactly one non-empty segment, e.g. {@code /upload/{slot}/{name}}. Matching is on decoded
 * segments, so a parameter's value may hold any character, {@code /} included when the client
 * sent it as {@code %2F}: a handler treats it as an opaque name, never as a file path.
 */
final class PathPattern {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private final String text;
    private final List<String> segments; // literal text, or null for a parameter
    private final List<String> names;    // parameter name per segment, or null for a literal

    private PathPattern(String text, List<String> segments, List<String> names) {
        this.text = text;
        this.segments = segments;
        this.names = names;
    }

    static PathPattern parse(String text) {
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException("a route path starts with /, got \"" + text + "\"");
        }
        List<String> segments = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String s : split(text)) {
            if (s.startsWith("{") && s.endsWith("}")) {
                String name = s.substring(1, s.length() - 1);
                if (!NAME.matcher(name).matches() || !seen.add(name)) {
                    throw new IllegalArgumentException("bad or repeated parameter {" + name + "} in " + text);
                }
                segments.add(null);
                names.add(name);
            } else if (s.indexOf('{') >= 0 || s.indexOf('}') >= 0 || s.indexOf('%') >= 0) {
                throw new IllegalArgumentException("a segment is a literal or a whole {parameter}: \"" + s
                        + "\" in " + text);
            } else {
                segments.add(s);
                names.add(null);
            }
        }
        return new PathPattern(text, Collections.unmodifiableList(segments), Collections.unmodifiableList(names));
    }

    /** The segments of a path: {@code /a/b} is [a, b], {@code /} is [""], {@code /a/} is [a, ""]. */
    static List<String> split(String path) {
        return List.of(path.substring(1).split("/", -1));
    }

    /** The parameters when {@code path} (decoded segments) matches, else null. */
    Map<String, String> match(List<String> path) {
        if (path.size() != segments.size()) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < path.size(); i++) {
            String literal = segments.get(i);
            if (literal == null) {
                if (path.get(i).isEmpty()) {
                    return null;
                }
                if (params == null) {
                    params = new LinkedHashMap<>();
                }
                params.put(names.get(i), path.get(i));
            } else if (!literal.equals(path.get(i))) {
                return null;
            }
        }
        return params == null ? Map.of() : Collections.unmodifiableMap(params);
    }

    /**
     * Orders two patterns that may both match a path: the one with a literal where the other has a
     * parameter, at the first segment where they differ, is the more specific and wins.
     */
    int compareSpecificity(PathPattern other) {
        int n = Math.min(segments.size(), other.segments.size());
        for (int i = 0; i < n; i++) {
            boolean mine = segments.get(i) != null;
            boolean theirs = other.segments.get(i) != null;
            if (mine != theirs) {
                return mine ? -1 : 1;
            }
        }
        // Only patterns of one length can match the same path; this keeps the order total.
        return Integer.compare(segments.size(), other.segments.size());
    }

    /** Two patterns that match exactly the same paths (parameter names aside). */
    boolean sameShape(PathPattern other) {
        return segments.equals(other.segments);
    }

    @Override
    public String toString() {
        return text;
    }
}
