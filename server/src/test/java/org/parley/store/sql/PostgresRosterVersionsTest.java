package org.parley.store.sql;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.store.RosterVersionsContractTest;
import org.parley.store.Stores;

/**
 * The roster versions contract on the local PostgreSQL (127.0.0.1:5432, user postgres, trust auth), in a
 * database created for this class and dropped afterwards. Skipped when PostgreSQL is not
 * running, except on CI where that is a failure.
 */
class PostgresRosterVersionsTest extends RosterVersionsContractTest {

    @RegisterExtension
    static final PostgresStoresExtension POSTGRES = new PostgresStoresExtension("parley_contacts");

    @Override
    protected Stores stores() {
        return POSTGRES.stores();
    }
}
