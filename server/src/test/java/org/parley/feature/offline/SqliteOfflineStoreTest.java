package org.parley.feature.offline;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.store.sql.SqlStores;
import org.parley.store.sql.SqliteStoresExtension;

/** The offline store contract on a fresh SQLite file per test. */
class SqliteOfflineStoreTest extends OfflineStoreContractTest {

    @RegisterExtension
    final SqliteStoresExtension sqlite = new SqliteStoresExtension();

    @Override
    protected SqlStores stores() {
        return sqlite.stores();
    }
}
