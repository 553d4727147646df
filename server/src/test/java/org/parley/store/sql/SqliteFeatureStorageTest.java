package org.parley.store.sql;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The feature storage seam on a fresh SQLite file per test. */
class SqliteFeatureStorageTest extends FeatureStorageContractTest {

    @RegisterExtension
    final SqliteStoresExtension sqlite = new SqliteStoresExtension();

    @Override
    protected SqlStores stores() {
        return sqlite.stores();
    }
}
