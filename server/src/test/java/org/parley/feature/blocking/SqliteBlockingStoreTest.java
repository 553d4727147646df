package org.parley.feature.blocking;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.store.sql.SqlStores;
import org.parley.store.sql.SqliteStoresExtension;

/** The block list store contract on a fresh SQLite file per test. */
class SqliteBlockingStoreTest extends BlockingStoreContractTest {

    @RegisterExtension
    final SqliteStoresExtension sqlite = new SqliteStoresExtension();

    @Override
    protected SqlStores stores() {
        return sqlite.stores();
    }
}
