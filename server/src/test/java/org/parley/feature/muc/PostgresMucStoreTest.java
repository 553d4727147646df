package org.parley.feature.muc;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.store.sql.PostgresStoresExtension;
import org.parley.store.sql.SqlStores;

/**
 * The persistent room contract on the local PostgreSQL, in a database created for this class and
 * dropped afterwards. Skipped when PostgreSQL is not running, except on CI where that is a failure.
 */
class PostgresMucStoreTest extends MucStoreContractTest {

    @RegisterExtension
    static final PostgresStoresExtension POSTGRES = new PostgresStoresExtension("parley_muc");

    @Override
    protected SqlStores stores() {
        return POSTGRES.stores();
    }
}
