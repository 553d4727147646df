package org.parley.store.sql;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.store.StoreContractTest;
import org.parley.store.Stores;

/**
 * The core store contract on the local PostgreSQL (127.0.0.1:5432, user postgres, trust auth), in a
 * database created for this class and dropped afterwards. Skipped when PostgreSQL is not
 * running, except on CI where that is a failure.
 */
class PostgresStoresTest extends StoreContractTest {

    @RegisterExtension
    static final PostgresStoresExtension POSTGRES = new PostgresStoresExtension("parley_test");

    @Override
    protected Stores stores() {
        return POSTGRES.stores();
    }
}
