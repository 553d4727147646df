package org.parley.store;

/**
 * The store could not do what was asked (database unreachable, constraint broken, data for an
 * account that does not exist). Unchecked so that store interfaces stay free of JDBC types;
 * callers turn it into {@code internal-server-error}.
 */
public final class StoreException extends RuntimeException {

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
