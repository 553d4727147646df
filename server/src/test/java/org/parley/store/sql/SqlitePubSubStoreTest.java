package org.parley.store.sql;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.store.PubSubStoreContractTest;
import org.parley.store.Stores;

/** The PEP and caps store contract on a fresh SQLite file per test. */
class SqlitePubSubStoreTest extends PubSubStoreContractTest {

    @RegisterExtension
    final SqliteStoresExtension sqlite = new SqliteStoresExtension();

    @Override
    protected Stores stores() {
        return sqlite.stores();
    }
}
