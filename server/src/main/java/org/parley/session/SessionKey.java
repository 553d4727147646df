package org.parley.session;

/**
 * A typed key for a feature's per-session state. Identity-based: each feature holds its own
 * instance as a constant, so two features can never collide.
 */
public final class SessionKey<T> {
    private final String name;

    public SessionKey(String name) {
        this.name = name;
    }

    @Override
    public String toString() {
        return name;
    }
}
