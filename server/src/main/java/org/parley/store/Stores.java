package org.parley.store;

/** All stores of one server, sharing one database. Closing releases the connection pool. */
public interface Stores extends AutoCloseable {

    AccountStore accounts();

    RosterStore roster();

    OfflineStore offline();

    VCardStore vcards();

    ArchiveStore archive();

    @Override
    void close();
}
