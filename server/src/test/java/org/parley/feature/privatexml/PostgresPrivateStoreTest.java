package org.parley.feature.privatexml;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.store.sql.PostgresStoresExtension;
import org.parley.store.sql.SqlStores;

/**
 * The private storage contract on the local PostgreSQL (127.0.0.1:5432, user postgres, trust auth), in a
 * database created for this class and dropped afterwards. Skipped when PostgreSQL is not
 * running, except on CI where that is a failure.
 */
class PostgresPrivateStoreTest extends PrivateStoreContractTest {

    @RegisterExtension
    static final PostgresStoresExtension POSTGRES = new PostgresStoresExtension("parley_private");

    @Override
    protected SqlStores stores() {
        return POSTGRES.stores();
    }
}
