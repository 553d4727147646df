package org.parley.feature.last;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.store.sql.SqlStores;
import org.parley.store.sql.SqliteStoresExtension;

/** The last activity store contract on a fresh SQLite file per test. */
class SqliteLastActivityStoreTest extends LastActivityStoreContractTest {

    @RegisterExtension
    final SqliteStoresExtension sqlite = new SqliteStoresExtension();

    @Override
    protected SqlStores stores() {
        return sqlite.stores();
    }
}
