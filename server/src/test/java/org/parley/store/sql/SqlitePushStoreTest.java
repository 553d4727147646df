package org.parley.store.sql;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.store.PushStoreContractTest;
import org.parley.store.Stores;

/** The push store contract on a fresh SQLite file per test. */
class SqlitePushStoreTest extends PushStoreContractTest {

    @RegisterExtension
    final SqliteStoresExtension sqlite = new SqliteStoresExtension();

    @Override
    protected Stores stores() {
        return sqlite.stores();
    }
}
