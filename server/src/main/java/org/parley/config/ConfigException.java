package org.parley.config;

/**
 * A configuration the server refuses to start with. The message begins with the offending key
 * (e.g. {@code limits.maxStanzaBytes: must be a positive integer, got "abc"}) so an operator can
 * find the line to fix without reading a stack trace.
 */
public final class ConfigException extends RuntimeException {

    private final String key;

    public ConfigException(String key, String message) {
        super(key == null ? message : key + ": " + message);
        this.key = key;
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
        this.key = null;
    }

    /** The dotted YAML key at fault, or {@code null} when the file as a whole is unreadable. */
    public String key() {
        return key;
    }
}
