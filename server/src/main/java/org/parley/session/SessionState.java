package org.parley.session;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-feature state of one session, keyed by {@link SessionKey}. The map is created on the
 * first write: most idle sessions never hold any, and idle sessions are what a server holds most.
 */
public final class SessionState {
    private volatile ConcurrentHashMap<SessionKey<?>, Object> values;

    @SuppressWarnings("unchecked")
    public <T> T get(SessionKey<T> key) {
        ConcurrentHashMap<SessionKey<?>, Object> v = values;
        return v == null ? null : (T) v.get(key);
    }

    /** Sets the value, or removes it when {@code value} is null. */
    public <T> void put(SessionKey<T> key, T value) {
        ConcurrentHashMap<SessionKey<?>, Object> v = values;
        if (v == null) {
            if (value == null) {
                return;
            }
            synchronized (this) {
                v = values;
                if (v == null) {
                    v = new ConcurrentHashMap<>(4);
                    values = v;
                }
            }
        }
        if (value == null) {
            v.remove(key);
        } else {
            v.put(key, value);
        }
    }
}
