package org.parley.store;

/** All stores of one server, sharing one database. Closing releases the connection pool. */
public interface Stores extends AutoCloseable {

    AccountStore accounts();

    RosterStore roster();

    OfflineStore offline();

    VCardStore vcards();

    PushStore push();
    ArchiveStore archive();

    @Override
    void close();

    BlockingStore blocking();

    LastActivityStore lastActivity();
    /** PEP nodes and items (XEP-0163). */
    PubSubStore pubsub();

    /** Verified entity capabilities (XEP-0115). */
    CapsStore caps();
}
