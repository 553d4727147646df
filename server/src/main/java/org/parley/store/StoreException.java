package org.parley.store;

/**
 * The store could not do what was asked (database unreachable, constraint broken, data for an
 * account that does not exist, or out of space). Unchecked so that store interfaces stay free of
 * JDBC types. Its {@link Kind} says which stanza error fits: {@code resource-constraint} when the
 * database is full, {@code internal-server-error} otherwise.
 */
public final class StoreException extends RuntimeException {

    /** Why the store failed, as far as a client's answer cares. */
    public enum Kind {
        /**
         * Out of disk space or memory (SQLite {@code SQLITE_FULL}, {@code SQLITE_NOMEM}; PostgreSQL
         * SQLSTATE class 53, insufficient resources): the same request may succeed later.
         */
        FULL,
        /** Anything else. */
        FAILURE
    }

    private final Kind kind;

    public StoreException(String message) {
        this(Kind.FAILURE, message, null);
    }

    public StoreException(String message, Throwable cause) {
        this(Kind.FAILURE, message, cause);
    }

    public StoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
