package org.parley.store;

/**
 * The stores the core and several features share, on one database: accounts (authentication,
 * registration, routing), rosters (RFC 6121: presence, subscriptions, and every feature that asks
 * "is this a contact") and vCards (XEP-0054, which PEP's XEP-0398 avatar conversion also writes).
 * A store one feature alone uses is that feature's, in its package, built on the same database
 * (see {@code store.sql.Database}). Closing releases the connection pool.
 */
public interface Stores extends AutoCloseable {

    AccountStore accounts();

    RosterStore roster();

    VCardStore vcards();

    @Override
    void close();
}
