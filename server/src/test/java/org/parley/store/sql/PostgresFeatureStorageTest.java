package org.parley.store.sql;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The feature storage seam on the local PostgreSQL (127.0.0.1:5432, user postgres, trust auth), in
 * a database created for this class and dropped afterwards. Skipped when PostgreSQL is not
 * running, except on CI where that is a failure.
 */
class PostgresFeatureStorageTest extends FeatureStorageContractTest {

    @RegisterExtension
    static final PostgresStoresExtension POSTGRES = new PostgresStoresExtension("parley_features");

    @Override
    protected SqlStores stores() {
        return POSTGRES.stores();
    }
}
